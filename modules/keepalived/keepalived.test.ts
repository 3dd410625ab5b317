import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { isSecret, Secret, TaskFailure } from '../../src/module-api/index.js';
import { parseServiceConfig, type ServiceConfigCurrent } from '../systemd_unit/service-config-read.js';
import { SYSTEMCTL_TIMEOUT_MS } from '../systemd_unit/plan-unit.js';
import type { KeepalivedArgs } from './args.js';
import keepalived from './index.js';
import { revealPuts, runningService } from '../../test/service-config-fixtures.js';
import { undescribed } from '../../test/schema-descriptions.js';
import { maskKeepalivedSecrets, renderKeepalived } from './render-keepalived.js';

const testdata = (name: string): string => readFileSync(new URL(`./testdata/${name}.txt`, import.meta.url), 'utf8');
const P = '/etc/keepalived/keepalived.conf';
const ctl = (verb: string) => ({ kind: 'exec' as const, cmd: ['systemctl', verb, 'keepalived.service'], timeoutMs: SYSTEMCTL_TIMEOUT_MS });

/** The guide's MASTER (seed 002): priority 100, router id 51, advert_int 1, PASS auth, haproxy check with weight -11. */
const guide = (over: Partial<KeepalivedArgs['instances'][number]> = {}, top: Partial<KeepalivedArgs> = {}): KeepalivedArgs => ({
  router_id: 'LVS_DEVEL',
  auth_pass: '1111',
  scripts: [{ name: 'check_haproxy', script: '/usr/bin/pgrep -x haproxy', interval: 3, weight: -11 }],
  instances: [
    { name: 'VI_1', state: 'MASTER', interface: 'ens37', virtual_router_id: 51, priority: 100, advert_int: 1, virtual_ipaddress: ['192.168.2.199'], track_scripts: ['check_haproxy'], ...over },
  ],
  ...top,
});

const GUIDE_CONF = `# Managed by k3play (keepalived module): changes made here are overwritten on the next run.
global_defs {
    router_id LVS_DEVEL
    script_user root
    enable_script_security
}

vrrp_script check_haproxy {
    script "/usr/bin/pgrep -x haproxy"
    interval 3
    weight -11
}

vrrp_instance VI_1 {
    state MASTER
    interface ens37
    virtual_router_id 51
    priority 100
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    virtual_ipaddress {
        192.168.2.199
    }
    track_script {
        check_haproxy
    }
}
`;

const running = runningService;

const reveal = revealPuts;

describe('keepalived render', () => {
  it('the guide\'s MASTER config, byte for byte', () => expect(renderKeepalived(guide())).toBe(GUIDE_CONF));

  it('BACKUP with unicast peers, no auth, VRRP 3 with a fractional advert_int', () => {
    const text = renderKeepalived({
      vrrp_version: 3,
      enable_script_security: false,
      instances: [
        { name: 'VI_1', state: 'BACKUP', interface: 'eth0', virtual_router_id: 52, priority: 90, advert_int: 0.5, virtual_ipaddress: ['10.0.0.10/24 dev eth0'], unicast_src_ip: '10.0.0.12', unicast_peers: ['10.0.0.11', '10.0.0.13'], nopreempt: true },
      ],
    });
    expect(text).toContain('    vrrp_version 3\n');
    expect(text).not.toContain('enable_script_security');
    expect(text).not.toContain('authentication');
    expect(text).toContain('    advert_int 0.5\n    nopreempt\n    unicast_src_ip 10.0.0.12\n    unicast_peer {\n        10.0.0.11\n        10.0.0.13\n    }\n');
  });

  it('unicast peers given as one string (a handlebars loop), empty values mean "not set"', () => {
    const text = renderKeepalived(guide({ unicast_src_ip: '10.0.0.11', unicast_peers: '10.0.0.12\n10.0.0.13,\n' }));
    expect(text).toContain('    unicast_src_ip 10.0.0.11\n    unicast_peer {\n        10.0.0.12\n        10.0.0.13\n    }\n');
    expect(renderKeepalived(guide({ unicast_src_ip: '', unicast_peers: '' }, { auth_pass: '' }))).toBe(
      GUIDE_CONF.replace('    authentication {\n        auth_type PASS\n        auth_pass 1111\n    }\n', ''),
    );
  });

  it('a Secret auth_pass is revealed into the text only', () => {
    expect(renderKeepalived(guide({}, { auth_pass: new Secret('s3cr3t') }))).toContain('auth_pass s3cr3t\n');
  });

  it('masks auth_pass in diff text', () => {
    expect(maskKeepalivedSecrets(GUIDE_CONF)).toContain('        auth_pass ********\n');
    expect(maskKeepalivedSecrets(GUIDE_CONF)).not.toContain('1111');
  });

  it('reports every problem at once', () => {
    const bad: KeepalivedArgs = {
      auth_pass: new Secret('waytoolongpassword'),
      scripts: [
        { name: 'chk', script: '/bin/true' },
        { name: 'chk', script: '/bin/true' },
      ],
      instances: [
        { name: 'VI_1', state: 'MASTER', interface: 'eth0', virtual_router_id: 51, priority: 100, advert_int: 0.5, virtual_ipaddress: ['10.0.0.10'], track_scripts: ['check_haproxy'], nopreempt: true },
        { name: 'VI_1', state: 'BACKUP', interface: 'eth0', virtual_router_id: 51, priority: 90, virtual_ipaddress: ['10.0.0.11'], unicast_src_ip: '10.0.0.1', unicast_peers: ['10.0.0.1'] },
      ],
    };
    let err: unknown;
    try {
      renderKeepalived(bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TaskFailure);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^keepalived arguments: 8 problems:/);
    for (const re of [
      /scripts: "chk" is defined twice/,
      /auth_pass is 18 characters long: keepalived uses at most 8/,
      /instances: "VI_1" is defined twice/,
      /virtual_router_id 51 on eth0 is already used by instance VI_1/,
      /track_scripts names "check_haproxy", which is not in scripts \(defined: chk\)/,
      /advert_int 0.5 needs vrrp_version: 3/,
      /unicast_peers contains this host's own unicast_src_ip 10.0.0.1/,
      /nopreempt needs state BACKUP/,
    ]) {
      expect(msg).toMatch(re);
    }
    expect(msg).not.toContain('waytoolongpassword');
  });
});

describe('parseServiceConfig on captured keepalived output', () => {
  it('a fresh package: no config, disabled, inactive', () => {
    expect(parseServiceConfig(testdata('fresh-package'))).toEqual({
      installed: true,
      dirExists: true,
      config: null,
      mode: null,
      loadState: 'loaded',
      activeState: 'inactive',
      isEnabled: 'disabled',
    });
  });
  it('managed and running', () => {
    const cur = parseServiceConfig(testdata('managed-running'));
    expect(cur).toMatchObject({ installed: true, mode: '0600', activeState: 'active', isEnabled: 'enabled' });
    expect(cur.config).toMatch(/^# Managed by k3play \(keepalived module\)/);
  });
  it.each([['', /no file record/], ['file=absent\n', /no LoadState/], ['file=zz\nshow.LoadState=loaded\n', /unexpected file record/], ['junk\n', /unexpected line/]])(
    'rejects %j',
    (out, msg) => expect(() => parseServiceConfig(out)).toThrow(msg),
  );
});

describe('keepalived plan', () => {
  const put = (content: string, mode = '0600') => ({ kind: 'put' as const, path: P, content: `SECRET:${content}`, mode, validate: 'keepalived -t -f %s' });
  const masked = maskKeepalivedSecrets(GUIDE_CONF);
  const cases: { name: string; args: KeepalivedArgs; current: ServiceConfigCurrent; expected: unknown[] }[] = [
    { name: 'converged', args: guide(), current: running(GUIDE_CONF), expected: [] },
    {
      name: 'fresh package: write (validated), enable, start',
      args: guide(),
      current: parseServiceConfig(testdata('fresh-package')),
      expected: [
        { summary: `create ${P} (checked with keepalived)`, steps: [put(GUIDE_CONF)], diff: { path: P, before: null, after: masked } },
        { summary: 'enable keepalived.service', steps: [ctl('enable')] },
        { summary: 'start keepalived.service', steps: [ctl('start')] },
      ],
    },
    {
      name: 'priority changed on a running host: update + reload (never restart)',
      args: guide({ priority: 90, state: 'BACKUP' }),
      current: running(GUIDE_CONF),
      expected: [
        {
          summary: `update ${P} (checked with keepalived)`,
          steps: [put(GUIDE_CONF.replace('priority 100', 'priority 90').replace('state MASTER', 'state BACKUP'))],
          diff: { path: P, before: masked, after: masked.replace('priority 100', 'priority 90').replace('state MASTER', 'state BACKUP') },
        },
        { summary: 'reload keepalived.service (config changed)', steps: [ctl('reload')] },
      ],
    },
    {
      name: 'stopped with the right config: start only',
      args: guide(),
      current: running(GUIDE_CONF, { activeState: 'inactive' }),
      expected: [{ summary: 'start keepalived.service', steps: [ctl('start')] }],
    },
    {
      name: 'only the mode drifted',
      args: guide(),
      current: running(GUIDE_CONF, { mode: '0644' }),
      expected: [{ summary: `mode 0644 -> 0600 (${P})`, steps: [{ kind: 'exec', cmd: ['chmod', '0600', '--', P] }] }],
    },
    {
      name: 'service: false leaves the unit alone; no password -> plain content, 0644',
      args: { ...guide(), auth_pass: undefined, service: false },
      current: parseServiceConfig(testdata('fresh-package')),
      expected: [
        {
          summary: `create ${P} (checked with keepalived)`,
          steps: [{ kind: 'put', path: P, content: GUIDE_CONF.replace('    authentication {\n        auth_type PASS\n        auth_pass 1111\n    }\n', ''), mode: '0644', validate: 'keepalived -t -f %s' }],
          diff: { path: P, before: null, after: GUIDE_CONF.replace('    authentication {\n        auth_type PASS\n        auth_pass 1111\n    }\n', '') },
        },
      ],
    },
    {
      name: 'no config directory: mkdir first',
      args: { ...guide(), service: false },
      current: running(null, { dirExists: false }),
      expected: [
        { summary: 'create /etc/keepalived', steps: [{ kind: 'exec', cmd: ['mkdir', '-p', '--', '/etc/keepalived'] }] },
        { summary: `create ${P} (checked with keepalived)`, steps: [put(GUIDE_CONF)], diff: { path: P, before: null, after: masked } },
      ],
    },
  ];
  it.each(cases)('$name', ({ args, current, expected }) => expect(reveal(keepalived.plan(args, current))).toEqual(expected));

  it('the password is written as a Secret and never shown in a diff', () => {
    const [c] = keepalived.plan(guide(), parseServiceConfig(testdata('fresh-package')));
    const step = c!.steps[0]!;
    expect(step.kind === 'put' && isSecret(step.content)).toBe(true);
    expect(JSON.stringify(c)).not.toContain('1111');
  });

  it.each<[string, Partial<ServiceConfigCurrent>, RegExp]>([
    ['not installed', { installed: false }, /keepalived is not installed on this host/],
    ['unit missing', { loadState: 'not-found' }, /not installed/],
    ['masked', { loadState: 'masked' }, /keepalived.service is masked/],
  ])('%s -> TaskFailure', (_n, over, msg) => {
    expect(() => keepalived.plan(guide(), running(null, over))).toThrow(TaskFailure);
    expect(() => keepalived.plan(guide(), running(null, over))).toThrow(msg);
  });
});

describe('keepalived args schema', () => {
  const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: true, useDefaults: true });
  const validate = ajv.compile(keepalived.args);
  it.each<[unknown, boolean]>([
    [guide(), true],
    [{ instances: [] }, false],
    [{ ...guide(), bogus: 1 }, false],
    [guide({ virtual_router_id: 256 }), false],
    [guide({ state: 'master' as 'MASTER' }), false],
    [{ ...guide(), scripts: [{ name: 'x', script: 'pgrep haproxy' }] }, false],
    [{ ...guide(), scripts: [{ name: 'x', script: '/bin/sh -c "x"' }] }, false],
    [guide({ virtual_ipaddress: ['10.0.0.1; rm -rf /'] }), false],
    [{ instances: [{ name: 'VI_1', state: 'BACKUP', interface: 'eth0', virtual_router_id: '51', priority: '90', virtual_ipaddress: ['10.0.0.10'] }] }, true],
    [guide({ unicast_src_ip: '' }), true],
    [guide({ unicast_src_ip: '10.0.0.1x' }), false],
    [guide({ unicast_src_ip: '10.0.0.1', unicast_peers: '10.0.0.2 10.0.0.3\n' }), true],
    [guide({ unicast_peers: '10.0.0.2; reboot' }), false],
  ])('%j valid=%s', (args, ok) => expect(validate(structuredClone(args))).toBe(ok));

  it('every property has a description, nested ones too', () => expect(undescribed(keepalived.args)).toEqual([]));
  it('auth_pass is a secret argument', () => expect(keepalived.secretArgs).toEqual(['auth_pass']));
});
