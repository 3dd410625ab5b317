import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../../src/connection/fake-connection.js';
import { sh, TaskFailure, type Change } from '../../src/module-api/index.js';
import type { SysctlArgs } from './args.js';
import sysctl from './index.js';
import { parseSysctlRead, type SysctlCurrent } from './read-sysctl.js';
import { canonicalKey, procPath, removeEntry, setEntry } from './sysctl-conf.js';

const testdata = (name: string): string => readFileSync(new URL(`./testdata/${name}.txt`, import.meta.url), 'utf8');
const F = '/etc/sysctl.d/99-k3play.conf';
const cur = (over: Partial<SysctlCurrent> = {}): SysctlCurrent => ({
  path: '/proc/sys/net/ipv4/ip_forward',
  exists: true,
  writable: true,
  runtime: '1',
  file: 'net.ipv4.ip_forward = 1\n',
  ...over,
});
const put = (content: string, path = F): Change['steps'][number] => ({ kind: 'put', path, content, mode: '0644' });
const write = (value: string, path = '/proc/sys/net/ipv4/ip_forward'): Change['steps'][number] => ({ kind: 'exec', cmd: sh`printf '%s\\n' ${value} > ${path}` });

describe('sysctl plan', () => {
  const fwd: SysctlArgs = { name: 'net.ipv4.ip_forward', value: '1' };
  const cases: { name: string; args: SysctlArgs; current: SysctlCurrent; expected: Change[] }[] = [
    { name: 'converged', args: fwd, current: cur(), expected: [] },
    { name: 'converged: number value, spaces around = differ', args: { ...fwd, value: 1 }, current: cur({ file: 'net.ipv4.ip_forward=1\n' }), expected: [] },
    {
      name: 'converged: multi-value normalised (tab at runtime, spaces in file)',
      args: { name: 'net.ipv4.ip_local_port_range', value: '32768  60999' },
      current: cur({ path: '/proc/sys/net/ipv4/ip_local_port_range', runtime: '32768\t60999', file: 'net.ipv4.ip_local_port_range = 32768 60999\n' }),
      expected: [],
    },
    {
      name: 'new file and runtime',
      args: fwd,
      current: cur({ runtime: '0', file: null }),
      expected: [
        { summary: `net.ipv4.ip_forward = 1 in ${F}`, steps: [put('net.ipv4.ip_forward = 1\n')], diff: { path: F, before: null, after: 'net.ipv4.ip_forward = 1\n' } },
        { summary: 'net.ipv4.ip_forward: 0 -> 1', steps: [write('1')] },
      ],
    },
    {
      name: 'line updated in place, other lines byte-identical, duplicates dropped',
      args: fwd,
      current: cur({ file: '# keep\n-net/ipv4/ip_forward=0\nvm.x = 2 \nnet.ipv4.ip_forward = 0\n' }),
      expected: [
        {
          summary: `net.ipv4.ip_forward = 1 in ${F}`,
          steps: [put('# keep\nnet.ipv4.ip_forward = 1\nvm.x = 2 \n')],
          diff: { path: F, before: '# keep\n-net/ipv4/ip_forward=0\nvm.x = 2 \nnet.ipv4.ip_forward = 0\n', after: '# keep\nnet.ipv4.ip_forward = 1\nvm.x = 2 \n' },
        },
      ],
    },
    {
      name: 'appended to a file without final newline',
      args: fwd,
      current: cur({ file: 'a = 1' }),
      expected: [{ summary: `net.ipv4.ip_forward = 1 in ${F}`, steps: [put('a = 1\nnet.ipv4.ip_forward = 1\n')], diff: { path: F, before: 'a = 1', after: 'a = 1\nnet.ipv4.ip_forward = 1\n' } }],
    },
    { name: 'runtime only', args: fwd, current: cur({ runtime: '0' }), expected: [{ summary: 'net.ipv4.ip_forward: 0 -> 1', steps: [write('1')] }] },
    { name: 'reload: false ignores runtime', args: { ...fwd, reload: false }, current: cur({ runtime: '0' }), expected: [] },
    {
      name: 'read-only + ignore_readonly: persist only, runtime skipped in the summary',
      args: { name: 'vm.swappiness', value: 0, ignore_readonly: true },
      current: cur({ path: '/proc/sys/vm/swappiness', writable: false, runtime: '60', file: null }),
      expected: [
        {
          summary: `vm.swappiness = 0 in ${F}; runtime not applied: /proc/sys/vm/swappiness is read-only here (ignore_readonly)`,
          steps: [put('vm.swappiness = 0\n')],
          diff: { path: F, before: null, after: 'vm.swappiness = 0\n' },
        },
      ],
    },
    {
      name: 'read-only + ignore_readonly, file done: converged (not planned again)',
      args: { name: 'vm.swappiness', value: '0', ignore_readonly: true },
      current: cur({ path: '/proc/sys/vm/swappiness', writable: false, runtime: '60', file: 'vm.swappiness = 0\n' }),
      expected: [],
    },
    { name: 'read-only but already right: no failure', args: { name: 'vm.swappiness', value: '60' }, current: cur({ writable: false, runtime: '60', file: 'vm.swappiness=60\n' }), expected: [] },
    { name: 'absent: converged (no file)', args: { name: 'vm.swappiness', state: 'absent' }, current: cur({ exists: false, file: null }), expected: [] },
    { name: 'absent: converged (no line)', args: { name: 'vm.swappiness', state: 'absent' }, current: cur({ file: 'a = 1\n' }), expected: [] },
    {
      name: 'absent: line removed, runtime untouched',
      args: { name: 'net.ipv4.ip_forward', state: 'absent' },
      current: cur({ file: '# c\nnet.ipv4.ip_forward = 1\nb=2\n' }),
      expected: [
        {
          summary: `remove net.ipv4.ip_forward from ${F} (the running value is left as it is)`,
          steps: [put('# c\nb=2\n')],
          diff: { path: F, before: '# c\nnet.ipv4.ip_forward = 1\nb=2\n', after: '# c\nb=2\n' },
        },
      ],
    },
  ];
  it.each(cases)('$name', ({ args, current, expected }) => expect(sysctl.plan(args, current)).toEqual(expected));

  const failures: { name: string; args: SysctlArgs; current: SysctlCurrent; msg: RegExp }[] = [
    { name: 'read-only', args: { name: 'vm.swappiness', value: '0' }, current: cur({ writable: false, runtime: '60' }), msg: /vm.swappiness is read-only on this host[^]*ignore_readonly: true/ },
    { name: 'missing bridge key', args: { name: 'net.bridge.bridge-nf-call-iptables', value: '1' }, current: cur({ exists: false, runtime: null }), msg: /does not exist[^]*modprobe br_netfilter/ },
    { name: 'no value', args: { name: 'a.b' }, current: cur(), msg: /needs a value/ },
    { name: 'newline in value', args: { name: 'a.b', value: '1\n2' }, current: cur(), msg: /newline/ },
    { name: 'relative file', args: { name: 'a.b', value: '1', sysctl_file: 'x.conf' }, current: cur(), msg: /not absolute/ },
  ];
  it.each(failures)('fails: $name', ({ args, current, msg }) => {
    let err: unknown;
    try {
      sysctl.plan(args, current);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TaskFailure);
    expect(`${(err as TaskFailure).message}\n${(err as TaskFailure).hint ?? ''}`).toMatch(msg);
  });
});

describe('sysctl conf editing', () => {
  it.each([
    ['net/ipv4/ip_forward', 'net.ipv4.ip_forward'],
    ['-net.ipv4.ip_forward ', 'net.ipv4.ip_forward'],
    ['net/ipv4/conf/eth0.100/rp_filter', 'net.ipv4.conf.eth0/100.rp_filter'],
  ])('canonicalKey(%j) = %j', (k, out) => expect(canonicalKey(k)).toBe(out));
  it.each([
    ['vm.swappiness', '/proc/sys/vm/swappiness'],
    ['net/ipv4/conf/eth0.100/rp_filter', '/proc/sys/net/ipv4/conf/eth0.100/rp_filter'],
  ])('procPath(%j) = %j', (k, out) => expect(procPath(k)).toBe(out));
  it('comments and ; lines are not entries', () => expect(setEntry('#a.b = 1\n; a.b = 1\n', 'a.b', '2')).toBe('#a.b = 1\n; a.b = 1\na.b = 2\n'));
  it('removing the only line leaves an empty file', () => expect(removeEntry('a.b=1\n', 'a.b')).toBe(''));
  it('a file without final newline keeps it that way', () => expect(setEntry('x=1\na.b=1', 'a.b', '2')).toBe('x=1\na.b = 2'));
});

describe('sysctl read', () => {
  it.each<[string, string, Omit<SysctlCurrent, 'path'>]>([
    ['port-range-no-file', 'net.ipv4.ip_local_port_range', { exists: true, writable: true, runtime: '32768\t60999', file: null }],
    ['ip-forward-in-file', 'net.ipv4.ip_forward', { exists: true, writable: true, runtime: '0', file: '# kept\nnet.ipv4.ip_forward=0\n' }],
    ['bridge-missing', 'net.bridge.bridge-nf-call-iptables', { exists: false, writable: false, runtime: null, file: null }],
    ['vm-swappiness-readonly-container', 'vm.swappiness', { exists: true, writable: false, runtime: '60', file: null }],
  ])('parses %s', (file, name, expected) => expect(parseSysctlRead(name, testdata(file))).toEqual({ path: procPath(name), ...expected }));

  it('is one round trip', async () => {
    const fake = new FakeConnection().on(/\/proc\/sys\/vm\/swappiness/, { stdout: testdata('vm-swappiness-readonly-container') });
    expect(await sysctl.read(fake, { name: 'vm.swappiness', value: '0' })).toMatchObject({ writable: false, runtime: '60' });
    expect(fake.callsOf('exec')).toHaveLength(1);
    expect(fake.calls[0]?.cmd).toMatch(/^p=\/proc\/sys\/vm\/swappiness; f=\/etc\/sysctl.d\/99-k3play.conf\n/);
  });
  it('garbage is a TaskFailure', async () => {
    const fake = new FakeConnection().on(/./, { stdout: 'sh: syntax error\n' });
    await expect(sysctl.read(fake, { name: 'a.b', value: '1' })).rejects.toThrow(TaskFailure);
  });
});

describe('sysctl schema', () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(sysctl.args);
  it.each([
    [{ name: 'net.ipv4.ip_forward', value: '1' }, true],
    [{ name: 'vm.swappiness', value: 0, ignore_readonly: true }, true],
    [{ name: 'vm.swappiness', state: 'absent' }, true],
    [{ name: 'vm.swappiness' }, false],
    [{ name: 'a b', value: '1' }, false],
    [{ name: 'a', value: true }, false],
    [{ name: 'a', value: '1', bogus: 1 }, false],
  ])('%j valid=%s', (args, ok) => expect(validate(args)).toBe(ok));
  it('every property has a description', () => {
    for (const p of Object.values(sysctl.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
  });
});
