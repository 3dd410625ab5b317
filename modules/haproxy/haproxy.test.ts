import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { isSecret, Secret, TaskFailure } from '../../src/module-api/index.js';
import { parseServiceConfig, type ServiceConfigCurrent } from '../systemd_unit/service-config-read.js';
import { SYSTEMCTL_TIMEOUT_MS } from '../systemd_unit/plan-unit.js';
import { revealPuts, runningService } from '../../test/service-config-fixtures.js';
import { undescribed } from '../../test/schema-descriptions.js';
import type { HaproxyArgs } from './args.js';
import haproxy from './index.js';
import { maskHaproxySecrets, renderHaproxy } from './render-haproxy.js';

const testdata = (name: string): string => readFileSync(new URL(`./testdata/${name}.txt`, import.meta.url), 'utf8');
const P = '/etc/haproxy/haproxy.cfg';
const ctl = (verb: string) => ({ kind: 'exec' as const, cmd: ['systemctl', verb, 'haproxy.service'], timeoutMs: SYSTEMCTL_TIMEOUT_MS });

/** The guide's load balancer (seed 002): TCP *:16443 round robin to every master's 6443 with check, stats on 1080. */
const guide = (servers: HaproxyArgs['backends'] extends (infer B)[] | undefined ? B extends { servers: infer S } ? S : never : never, over: Partial<HaproxyArgs> = {}): HaproxyArgs => ({
  frontends: [{ name: 'kubernetes-apiserver', bind: '*:16443', default_backend: 'kubernetes-apiserver' }],
  backends: [{ name: 'kubernetes-apiserver', servers }],
  stats: { bind: '*:1080' },
  stats_password: 'awesomePassword',
  ...over,
});
const LINES = 'server7-master 192.168.2.207:6443\nserver8-node1 192.168.2.208:6443\nserver9-node2 192.168.2.209:6443\n';

const GUIDE_CFG = `# Managed by k3play (haproxy module): changes made here are overwritten on the next run.
global
    log /dev/log local0
    chroot /var/lib/haproxy
    stats socket /run/haproxy/admin.sock mode 660 level admin
    user haproxy
    group haproxy
    daemon
    maxconn 4000

defaults
    mode tcp
    log global
    option dontlognull
    option redispatch
    retries 3
    timeout connect 10s
    timeout client 1m
    timeout server 1m
    timeout check 10s
    maxconn 3000

frontend kubernetes-apiserver
    bind *:16443
    mode tcp
    option tcplog
    default_backend kubernetes-apiserver

backend kubernetes-apiserver
    mode tcp
    balance roundrobin
    default-server inter 2s fall 3 rise 2
    server server7-master 192.168.2.207:6443 check
    server server8-node1 192.168.2.208:6443 check
    server server9-node2 192.168.2.209:6443 check

listen stats
    bind *:1080
    mode http
    stats enable
    stats uri /admin?stats
    stats refresh 5s
    stats realm HAProxy\\ Statistics
    stats auth admin:awesomePassword
`;

const running = runningService;

const reveal = revealPuts;

describe('haproxy render', () => {
  it('the guide\'s config from "NAME ADDRESS:PORT" lines, byte for byte', () => expect(renderHaproxy(guide(LINES))).toBe(GUIDE_CFG));

  it('the same from objects and from a list of strings', () => {
    const objs = [
      { name: 'server7-master', address: '192.168.2.207', port: 6443 },
      { name: 'server8-node1', address: '192.168.2.208', port: 6443 },
      { name: 'server9-node2', address: '192.168.2.209', port: 6443, check: true },
    ];
    expect(renderHaproxy(guide(objs))).toBe(GUIDE_CFG);
    expect(renderHaproxy(guide(LINES.trim().split('\n')))).toBe(GUIDE_CFG);
  });

  it('health check timing, extra words, no-check, IPv6, HTTP stats without auth', () => {
    const text = renderHaproxy({
      frontends: [{ name: 'api', bind: ['*:6443', '[::]:6443'], default_backend: 'api' }],
      backends: [{ name: 'api', options: ['tcp-check'], check: { inter: '1s', fall: 2, rise: 1 }, servers: 'a 10.0.0.1:6443\nb fd00::2:6443 backup\n# a comment\nc [fd00::3]:6443 no-check\n' }],
      stats: { bind: '127.0.0.1:1080', uri: '/stats' },
      global: { chroot: null, stats_socket: null, log: ['127.0.0.1 local2'] },
    });
    expect(text).toContain('    bind *:6443\n    bind [::]:6443\n');
    expect(text).toContain('    option tcp-check\n    default-server inter 1s fall 2 rise 1\n    server a 10.0.0.1:6443 check\n    server b [fd00::2]:6443 check backup\n    server c [fd00::3]:6443\n');
    expect(text).not.toContain('chroot');
    expect(text).not.toContain('stats socket');
    expect(text).not.toContain('stats auth');
    expect(text).toContain('    log 127.0.0.1 local2\n');
  });

  it('b fd00::2:6443 is read as address fd00::2, port 6443', () => {
    expect(renderHaproxy({ frontends: [{ name: 'f', bind: '*:1', default_backend: 'b' }], backends: [{ name: 'b', servers: 'x fd00::2:6443' }] })).toContain('server x [fd00::2]:6443 check');
  });

  it('a Secret stats_password is revealed into the text only; diffs mask it', () => {
    const text = renderHaproxy(guide(LINES, { stats_password: new Secret('pw-from-vault') }));
    expect(text).toContain('stats auth admin:pw-from-vault\n');
    expect(maskHaproxySecrets(text)).toContain('stats auth admin:********\n');
    expect(maskHaproxySecrets(text)).not.toContain('pw-from-vault');
  });

  it('reports every problem at once', () => {
    let err: unknown;
    try {
      renderHaproxy({
        frontends: [
          { name: 'api', bind: '*:16443', default_backend: 'apiserver' },
          { name: 'api', bind: '*:16444', default_backend: 'api' },
        ],
        backends: [
          { name: 'api', servers: 'h1 10.0.0.1\nh1 10.0.0.1:6443\nh1 10.0.0.2:6443\n' },
          { name: 'empty', servers: '' },
          { name: 'empty', servers: 'x 10.0.0.1:1' },
        ],
        stats_password: new Secret('has space'),
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TaskFailure);
    const msg = (err as Error).message;
    for (const re of [
      /backend api: server 1 "h1 10.0.0.1" is not "NAME ADDRESS:PORT \[words\]"/,
      /backend api: server name "h1" is used twice/,
      /backend empty: no servers \(is the inventory group empty\?\)/,
      /frontend api: default_backend "apiserver" is not in backends \(defined: api, empty\)/,
      /frontend "api": the name is already used by another frontend/,
      /backend "empty": the name is already used by another backend/,
      /stats_password cannot contain spaces/,
      /stats_password is set but stats is not/,
    ]) {
      expect(msg).toMatch(re);
    }
    expect(msg).toMatch(/^haproxy arguments: 8 problems:/);
    expect(msg).not.toContain('has space');
  });
});

describe('parseServiceConfig on captured haproxy output', () => {
  it("Debian's packaged config, not running", () => {
    const cur = parseServiceConfig(testdata('fresh-package'));
    expect(cur).toMatchObject({ installed: true, mode: '0644', activeState: 'inactive', isEnabled: 'disabled' });
    expect(cur.config).toMatch(/^global\n\tlog \/dev\/log\tlocal0/);
  });
  it('managed and running', () => {
    const cur = parseServiceConfig(testdata('managed-running'));
    expect(cur).toMatchObject({ mode: '0600', activeState: 'active', isEnabled: 'enabled' });
    expect(cur.config).toMatch(/^# Managed by k3play \(haproxy module\)/);
  });
});

describe('haproxy plan', () => {
  const put = (content: string, mode = '0600') => ({ kind: 'put' as const, path: P, content: `SECRET:${content}`, mode, validate: 'haproxy -c -f %s' });
  const masked = maskHaproxySecrets(GUIDE_CFG);
  const fresh = parseServiceConfig(testdata('fresh-package'));
  const twoServers = LINES.split('\n').slice(0, 2).join('\n');
  const cases: { name: string; args: HaproxyArgs; current: ServiceConfigCurrent; expected: unknown[] }[] = [
    { name: 'converged', args: guide(LINES), current: running(GUIDE_CFG), expected: [] },
    {
      name: "replaces Debian's packaged config, enables, starts",
      args: guide(LINES),
      current: fresh,
      expected: [
        { summary: `update ${P} (checked with haproxy)`, steps: [put(GUIDE_CFG)], diff: { path: P, before: fresh.config, after: masked } },
        { summary: 'enable haproxy.service', steps: [ctl('enable')] },
        { summary: 'start haproxy.service', steps: [ctl('start')] },
      ],
    },
    {
      name: 'a backend server removed on a running LB: update + reload, never restart',
      args: guide(twoServers),
      current: running(GUIDE_CFG),
      expected: [
        {
          summary: `update ${P} (checked with haproxy)`,
          steps: [put(GUIDE_CFG.replace('    server server9-node2 192.168.2.209:6443 check\n', ''))],
          diff: { path: P, before: masked, after: masked.replace('    server server9-node2 192.168.2.209:6443 check\n', '') },
        },
        { summary: 'reload haproxy.service (config changed)', steps: [ctl('reload')] },
      ],
    },
    { name: 'stopped: start', args: guide(LINES), current: running(GUIDE_CFG, { activeState: 'failed' }), expected: [{ summary: 'start haproxy.service', steps: [ctl('start')] }] },
    { name: 'disabled: enable', args: guide(LINES), current: running(GUIDE_CFG, { isEnabled: 'disabled' }), expected: [{ summary: 'enable haproxy.service', steps: [ctl('enable')] }] },
    {
      name: 'no stats password: plain content, mode 0644',
      args: guide(LINES, { stats_password: undefined }),
      current: running(GUIDE_CFG),
      expected: [
        {
          summary: `update ${P} (checked with haproxy)`,
          steps: [{ kind: 'put', path: P, content: GUIDE_CFG.replace('    stats auth admin:awesomePassword\n', ''), mode: '0644', validate: 'haproxy -c -f %s' }],
          diff: { path: P, before: masked, after: GUIDE_CFG.replace('    stats auth admin:awesomePassword\n', '') },
        },
        { summary: 'reload haproxy.service (config changed)', steps: [ctl('reload')] },
      ],
    },
  ];
  it.each(cases)('$name', ({ args, current, expected }) => expect(reveal(haproxy.plan(args, current))).toEqual(expected));

  it('not installed -> TaskFailure with the package to install', () => {
    expect(() => haproxy.plan(guide(LINES), running(null, { installed: false }))).toThrow(/haproxy is not installed on this host/);
  });
});

describe('haproxy args schema', () => {
  const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: true, useDefaults: true });
  const validate = ajv.compile(haproxy.args);
  it.each<[unknown, boolean]>([
    [guide(LINES), true],
    [{ ...guide(LINES), bogus: 1 }, false],
    [guide([{ name: 'h1', address: '10.0.0.1', port: 70000 }]), false],
    [guide([{ name: 'h1', address: '10.0.0.1', port: '6443' }]), true],
    [{ frontends: [{ name: 'a b', bind: '*:1', default_backend: 'x' }] }, false],
    [{ frontends: [{ name: 'f', bind: '*:1\nlisten evil', default_backend: 'x' }] }, false],
    [{ defaults: { timeout_client: '1 minute' } }, false],
  ])('%j valid=%s', (args, ok) => expect(validate(structuredClone(args))).toBe(ok));
  it('every property has a description, nested ones too', () => expect(undescribed(haproxy.args)).toEqual([]));
  it('stats_password is a secret argument', () => expect(haproxy.secretArgs).toEqual(['stats_password']));
});
