import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../../src/connection/fake-connection.js';
import { TaskFailure, type Change } from '../../src/module-api/index.js';
import type { SelinuxArgs } from './args.js';
import selinux from './index.js';
import { setKey } from './plan-selinux.js';
import { parseSelinuxRead, type SelinuxCurrent } from './read-selinux.js';

const testdata = (name: string): string => readFileSync(new URL(`./testdata/${name}.txt`, import.meta.url), 'utf8');
const C = '/etc/selinux/config';
const rocky = parseSelinuxRead(testdata('rocky9-enforcing'));
const rockyConf = rocky.config ?? '';
const rockyDisabled = rockyConf.replace('SELINUX=enforcing', 'SELINUX=disabled');
const put = (content: string): Change['steps'][number] => ({ kind: 'put', path: C, content, mode: '0644' });

describe('selinux plan', () => {
  const cases: { name: string; args: SelinuxArgs; current: SelinuxCurrent; expected: Change[] }[] = [
    { name: 'no SELinux, disabled: converged', args: { state: 'disabled' }, current: { runtime: null, config: null }, expected: [] },
    { name: 'no SELinux, permissive: converged', args: { state: 'permissive' }, current: { runtime: null, config: null }, expected: [] },
    { name: 'enforcing: converged', args: { state: 'enforcing' }, current: rocky, expected: [] },
    {
      name: 'enforcing -> disabled: config (reboot required), setenforce 0',
      args: { state: 'disabled' },
      current: rocky,
      expected: [
        { summary: `SELINUX=enforcing -> disabled, SELINUXTYPE=targeted in ${C} (reboot required)`, steps: [put(rockyDisabled)], diff: { path: C, before: rockyConf, after: rockyDisabled } },
        { summary: 'setenforce 0: enforcing -> permissive (disabled after the reboot)', steps: [{ kind: 'exec', cmd: ['setenforce', '0'] }] },
      ],
    },
    { name: 'disabled: converged after apply (runtime permissive until reboot)', args: { state: 'disabled' }, current: { runtime: 'permissive', config: rockyDisabled }, expected: [] },
    {
      name: 'enforcing -> permissive: no reboot',
      args: { state: 'permissive' },
      current: rocky,
      expected: [
        {
          summary: `SELINUX=enforcing -> permissive, SELINUXTYPE=targeted in ${C}`,
          steps: [put(rockyConf.replace('SELINUX=enforcing', 'SELINUX=permissive'))],
          diff: { path: C, before: rockyConf, after: rockyConf.replace('SELINUX=enforcing', 'SELINUX=permissive') },
        },
        { summary: 'setenforce 0: enforcing -> permissive', steps: [{ kind: 'exec', cmd: ['setenforce', '0'] }] },
      ],
    },
    {
      name: 'disabled -> enforcing: config only, reboot required (setenforce impossible)',
      args: { state: 'enforcing', policy: 'mls' },
      current: parseSelinuxRead(testdata('rhel-disabled')),
      expected: [
        {
          summary: `SELINUX=disabled -> enforcing, SELINUXTYPE=mls in ${C} (reboot required)`,
          steps: [put('SELINUX=enforcing\nSELINUXTYPE=mls\n')],
          diff: { path: C, before: 'SELINUX=disabled\nSELINUXTYPE=targeted\n', after: 'SELINUX=enforcing\nSELINUXTYPE=mls\n' },
        },
      ],
    },
    { name: 'enforcing wanted, config done, runtime still disabled: converged (waits for the reboot)', args: { state: 'enforcing' }, current: { runtime: 'disabled', config: 'SELINUX=enforcing\nSELINUXTYPE=targeted\n' }, expected: [] },
    { name: 'runtime only', args: { state: 'enforcing' }, current: { runtime: 'permissive', config: rockyConf }, expected: [{ summary: 'setenforce 1: permissive -> enforcing', steps: [{ kind: 'exec', cmd: ['setenforce', '1'] }] }] },
    {
      name: 'getenforce present, config missing: created',
      args: { state: 'permissive' },
      current: { runtime: 'permissive', config: null },
      expected: [{ summary: `SELINUX=(unset) -> permissive, SELINUXTYPE=targeted in ${C}`, steps: [put('SELINUX=permissive\nSELINUXTYPE=targeted\n')], diff: { path: C, before: null, after: 'SELINUX=permissive\nSELINUXTYPE=targeted\n' } }],
    },
  ];
  it.each(cases)('$name', ({ args, current, expected }) => expect(selinux.plan(args, current)).toEqual(expected));

  it('enforcing on a host without SELinux fails clearly', () => {
    expect(() => selinux.plan({ state: 'enforcing' }, { runtime: null, config: null })).toThrow(TaskFailure);
    expect(() => selinux.plan({ state: 'enforcing' }, { runtime: null, config: null })).toThrow(/SELinux is not available on this host/);
  });
  it.each([
    ['SELINUX = "enforcing"\n', 'SELINUX', 'enforcing', 'SELINUX = "enforcing"\n'],
    ['#SELINUX=x\nA=1', 'SELINUX', 'disabled', '#SELINUX=x\nA=1\nSELINUX=disabled\n'],
    ['SELINUXTYPE=mls\nSELINUX=permissive\n', 'SELINUX', 'disabled', 'SELINUXTYPE=mls\nSELINUX=disabled\n'],
  ])('setKey(%j, %s, %s)', (text, key, value, out) => expect(setKey(text, key, value)).toBe(out));
});

describe('selinux read', () => {
  it.each<[string, SelinuxCurrent['runtime'], boolean]>([
    ['debian-no-selinux', null, false],
    ['rocky9-enforcing', 'enforcing', true],
    ['rhel-disabled', 'disabled', true],
  ])('parses %s', (name, runtime, hasConfig) => {
    const cur = parseSelinuxRead(testdata(name));
    expect(cur.runtime).toBe(runtime);
    expect(cur.config !== null).toBe(hasConfig);
  });
  it('keeps the config byte for byte', () => expect(rockyConf.endsWith('SELINUXTYPE=targeted\n\n\n')).toBe(true));
  it('is one round trip', async () => {
    const fake = new FakeConnection().on(/getenforce/, { stdout: testdata('debian-no-selinux') });
    expect(await selinux.read(fake, { state: 'disabled' })).toEqual({ runtime: null, config: null });
    expect(fake.callsOf('exec')).toHaveLength(1);
  });
  it('garbage is a TaskFailure', async () => {
    const fake = new FakeConnection().on(/./, { stdout: 'getenforce=weird\n' });
    await expect(selinux.read(fake, { state: 'disabled' })).rejects.toThrow(TaskFailure);
  });
});

describe('selinux schema', () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(selinux.args);
  it.each([
    [{ state: 'disabled' }, true],
    [{ state: 'enforcing', policy: 'mls', config: '/etc/selinux/config' }, true],
    [{}, false],
    [{ state: 'off' }, false],
    [{ state: 'disabled', policy: 'a b' }, false],
  ])('%j valid=%s', (args, ok) => expect(validate(args)).toBe(ok));
  it('every property has a description', () => {
    for (const p of Object.values(selinux.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
  });
});
