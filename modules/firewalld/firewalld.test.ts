import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../../src/connection/fake-connection.js';
import { TaskFailure, type Change } from '../../src/module-api/index.js';
import type { FirewalldArgs } from './args.js';
import firewalld from './index.js';
import { parseFirewalldRead, type FirewalldCurrent } from './read-firewalld.js';

// not-installed.txt was captured on a lab host; the others follow the read script's format
// with firewall-cmd's documented query exit codes (0 yes, 1 no, 112 INVALID_ZONE).
const testdata = (name: string) => readFileSync(new URL(`testdata/${name}.txt`, import.meta.url), 'utf8');
const cur = (name: string) => parseFirewalldRead(testdata(name));

describe('parseFirewalldRead', () => {
  it.each<[string, FirewalldCurrent]>([
    ['not-installed', { installed: false, active: '', enabled: '', runtime: null, permanent: null }],
    ['running-no-rule', { installed: true, active: 'active', enabled: 'enabled', runtime: null, permanent: null }],
    ['running-port-open', { installed: true, active: 'active', enabled: 'enabled', runtime: true, permanent: true }],
    ['running-permanent-only', { installed: true, active: 'active', enabled: 'enabled', runtime: false, permanent: true }],
    ['stopped-offline-closed', { installed: true, active: 'inactive', enabled: 'disabled', runtime: null, permanent: false }],
  ])('%s', (name, expected) => expect(cur(name)).toEqual(expected));
  it('a failing query names the error', () => expect(() => cur('invalid-zone')).toThrow(/exit 112: Error: INVALID_ZONE: nosuch/));
});

const port = (verb: string, permanent: boolean, offline = false): Change['steps'] => [
  { kind: 'exec', cmd: [offline ? 'firewall-offline-cmd' : 'firewall-cmd', ...(permanent && !offline ? ['--permanent'] : []), `--${verb}-port=6443/tcp`] },
];

describe('firewalld plan', () => {
  const cases: [string, FirewalldArgs, string, Change[]][] = [
    ['not installed + stopped -> ok', { state: 'stopped' }, 'not-installed', []],
    ['not installed + disabled -> ok', { port: '6443/tcp', state: 'disabled' }, 'not-installed', []],
    ['stop a running firewalld', { state: 'stopped' }, 'running-no-rule', [{ summary: 'stop and disable firewalld (was active, enabled)', steps: [{ kind: 'exec', cmd: ['systemctl', 'disable', '--now', 'firewalld'], timeoutMs: 120_000 }] }]],
    ['stopped already', { state: 'stopped' }, 'stopped-offline-closed', []],
    ['open: converged', { port: '6443/tcp', state: 'enabled' }, 'running-port-open', []],
    [
      'open: both',
      { port: '6443/tcp', state: 'enabled' },
      'running-port-closed',
      [
        { summary: 'open port 6443/tcp (permanent)', steps: port('add', true) },
        { summary: 'open port 6443/tcp (running firewall)', steps: port('add', false) },
      ],
    ],
    ['open: runtime only missing', { port: '6443/tcp', state: 'enabled' }, 'running-permanent-only', [{ summary: 'open port 6443/tcp (running firewall)', steps: port('add', false) }]],
    ['open: permanent: false ignores the permanent config', { port: '6443/tcp', state: 'enabled', permanent: false }, 'running-permanent-only', [{ summary: 'open port 6443/tcp (running firewall)', steps: port('add', false) }]],
    ['open offline: firewall-offline-cmd', { port: '6443/tcp', state: 'enabled' }, 'stopped-offline-closed', [{ summary: 'open port 6443/tcp (permanent)', steps: port('add', true, true) }]],
    [
      'close a service in a zone',
      { service: 'https', zone: 'public', state: 'disabled', immediate: false },
      'running-port-open',
      [{ summary: 'close service https (zone public) (permanent)', steps: [{ kind: 'exec', cmd: ['firewall-cmd', '--permanent', '--zone=public', '--remove-service=https'] }] }],
    ],
  ];
  it.each(cases)('%s', (_n, args, current, expected) => expect(firewalld.plan(args, cur(current))).toEqual(expected));

  it.each<[FirewalldArgs, string, RegExp]>([
    [{ port: '6443/tcp', state: 'enabled' }, 'not-installed', /firewalld is not installed: cannot open port 6443\/tcp/],
    [{ state: 'enabled' }, 'running-no-rule', /exactly one of service or port/],
    [{ port: '1/tcp', service: 'x', state: 'enabled' }, 'running-no-rule', /exactly one of service or port/],
    [{ port: '1/tcp', state: 'stopped' }, 'running-no-rule', /do not go with it/],
    [{ port: '6443/tcp', state: 'enabled', permanent: false }, 'stopped-offline-closed', /not running/],
  ])('%j on %s -> TaskFailure', (args, current, msg) => {
    expect(() => firewalld.plan(args, cur(current))).toThrow(TaskFailure);
    expect(() => firewalld.plan(args, cur(current))).toThrow(msg);
  });
});

describe('firewalld read + schema', () => {
  it('one round trip with the query', async () => {
    const fake = new FakeConnection().on(/firewall-cmd/, { stdout: testdata('running-port-open') });
    expect(await firewalld.read(fake, { port: '6443/tcp', zone: 'public', state: 'enabled' })).toMatchObject({ runtime: true });
    expect(fake.callsOf('exec')).toHaveLength(1);
    expect(fake.calls[0]?.cmd).toContain('--zone=public --query-port=6443/tcp');
  });
  const validate = new Ajv({ allErrors: true, strict: true }).compile(firewalld.args);
  it.each([
    [{ port: '6443/tcp', state: 'enabled' }, true],
    [{ port: '30000-32767/udp', state: 'disabled' }, true],
    [{ port: '6443', state: 'enabled' }, false],
    [{ state: 'running' }, false],
    [{ port: '1/tcp' }, false],
  ])('%j valid=%s', (args, ok) => expect(validate(args)).toBe(ok));
  it('every property has a description', () => {
    for (const p of Object.values(firewalld.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
  });
});
