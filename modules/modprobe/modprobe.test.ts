import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../../src/connection/fake-connection.js';
import { TaskFailure, type Change } from '../../src/module-api/index.js';
import type { ModprobeArgs } from './args.js';
import modprobe from './index.js';
import { parseModprobeRead, type ModprobeCurrent } from './read-modprobe.js';

const testdata = (name: string): string => readFileSync(new URL(`./testdata/${name}.txt`, import.meta.url), 'utf8');
const vm = (over: Partial<ModprobeCurrent> = {}): ModprobeCurrent => ({
  procModules: true,
  listed: true,
  loaded: true,
  canLoad: true,
  modprobe: true,
  loadDirExists: true,
  optionsDirExists: true,
  loadFile: 'br_netfilter\n',
  optionsFile: null,
  ...over,
});
const notLoaded = { listed: false, loaded: false };
const LF = '/etc/modules-load.d/br_netfilter.conf';
const OF = '/etc/modprobe.d/nf_conntrack.conf';

describe('modprobe plan', () => {
  const cases: { name: string; args: ModprobeArgs; current: ModprobeCurrent; expected: Change[] }[] = [
    { name: 'converged', args: { name: 'br_netfilter' }, current: vm(), expected: [] },
    { name: 'converged: dash spelling, comments kept', args: { name: 'br-netfilter' }, current: vm({ loadFile: '# x\nbr_netfilter\n' }), expected: [] },
    {
      name: 'converged: lab container (no /proc/modules, loaded by evidence, no CAP_SYS_MODULE)',
      args: { name: 'br_netfilter' },
      current: vm({ procModules: false, listed: false, canLoad: false, modprobe: false }),
      expected: [],
    },
    {
      name: 'fresh: file, then load',
      args: { name: 'br_netfilter' },
      current: vm({ ...notLoaded, loadFile: null }),
      expected: [
        { summary: `load br_netfilter at boot (${LF})`, steps: [{ kind: 'put', path: LF, content: 'br_netfilter\n', mode: '0644' }], diff: { path: LF, before: null, after: 'br_netfilter\n' } },
        { summary: 'load module br_netfilter', steps: [{ kind: 'exec', cmd: ['modprobe', '--', 'br_netfilter'] }] },
      ],
    },
    {
      name: 'params: options file created with mkdir; load with params',
      args: { name: 'nf_conntrack', params: ' nf_conntrack_helper=0  ' },
      current: vm({ ...notLoaded, optionsDirExists: false, loadFile: 'nf_conntrack\n' }),
      expected: [
        {
          summary: `options nf_conntrack: nf_conntrack_helper=0 (${OF})`,
          steps: [{ kind: 'exec', cmd: ['mkdir', '-p', '--', '/etc/modprobe.d'] }, { kind: 'put', path: OF, content: 'options nf_conntrack nf_conntrack_helper=0\n', mode: '0644' }],
          diff: { path: OF, before: null, after: 'options nf_conntrack nf_conntrack_helper=0\n' },
        },
        { summary: 'load module nf_conntrack (nf_conntrack_helper=0)', steps: [{ kind: 'exec', cmd: ['modprobe', '--', 'nf_conntrack', 'nf_conntrack_helper=0'] }] },
      ],
    },
    { name: 'params converged (spacing differs)', args: { name: 'nf_conntrack', params: 'nf_conntrack_helper=0' }, current: vm({ loadFile: 'nf_conntrack\n', optionsFile: 'options  nf_conntrack\tnf_conntrack_helper=0\n' }), expected: [] },
    {
      name: 'params changed: line replaced, duplicates dropped, blacklist kept',
      args: { name: 'nf_conntrack', params: 'a=1' },
      current: vm({ loadFile: 'nf_conntrack\n', optionsFile: 'blacklist x\noptions nf_conntrack a=0\noptions nf_conntrack b=2\n' }),
      expected: [
        {
          summary: `options nf_conntrack: a=1 (${OF})`,
          steps: [{ kind: 'put', path: OF, content: 'blacklist x\noptions nf_conntrack a=1\n', mode: '0644' }],
          diff: { path: OF, before: 'blacklist x\noptions nf_conntrack a=0\noptions nf_conntrack b=2\n', after: 'blacklist x\noptions nf_conntrack a=1\n' },
        },
      ],
    },
    {
      name: 'absent: unload, files cleaned (empty file removed, other lines kept)',
      args: { name: 'nf_conntrack', state: 'absent', persistent: 'absent' },
      current: vm({ loadFile: '# k8s\nnf_conntrack\n', optionsFile: 'blacklist x\noptions nf_conntrack a=0\n' }),
      expected: [
        { summary: '/etc/modules-load.d/nf_conntrack.conf'.replace(/^/, 'remove '), steps: [{ kind: 'remove', path: '/etc/modules-load.d/nf_conntrack.conf' }], diff: { path: '/etc/modules-load.d/nf_conntrack.conf', before: '# k8s\nnf_conntrack\n', after: null } },
        { summary: `remove nf_conntrack from ${OF}`, steps: [{ kind: 'put', path: OF, content: 'blacklist x\n', mode: '0644' }], diff: { path: OF, before: 'blacklist x\noptions nf_conntrack a=0\n', after: 'blacklist x\n' } },
        { summary: 'unload module nf_conntrack', steps: [{ kind: 'exec', cmd: ['modprobe', '-r', '--', 'nf_conntrack'] }] },
      ],
    },
    { name: 'absent: converged', args: { name: 'x', state: 'absent', persistent: 'absent' }, current: vm({ ...notLoaded, loadFile: null }), expected: [] },
    { name: 'persistent: disabled leaves files alone', args: { name: 'br_netfilter', persistent: 'disabled' }, current: vm({ loadFile: null }), expected: [] },
  ];
  it.each(cases)('$name', ({ args, current, expected }) => expect(modprobe.plan(args, current)).toEqual(expected));

  it.each<[string, ModprobeArgs, ModprobeCurrent, RegExp]>([
    ['no CAP_SYS_MODULE', { name: 'ip_vs' }, vm({ ...notLoaded, canLoad: false }), /lacks CAP_SYS_MODULE[^]*on the machine that runs the container/],
    ['no modprobe binary', { name: 'ip_vs' }, vm({ ...notLoaded, modprobe: false }), /modprobe is not installed[^]*kmod/],
    ['unload a built-in', { name: 'overlay', state: 'absent' }, vm({ listed: false }), /cannot unload overlay[^]*built into the kernel/],
  ])('fails: %s', (_, args, current, msg) => {
    let err: unknown;
    try {
      modprobe.plan(args, current);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TaskFailure);
    expect(`${(err as TaskFailure).message}\n${(err as TaskFailure).hint ?? ''}`).toMatch(msg);
  });
});

describe('modprobe read', () => {
  const lab = { procModules: false, listed: false, canLoad: false, modprobe: false, loadDirExists: true, optionsDirExists: false, loadFile: null, optionsFile: null };
  it.each<[string, ModprobeCurrent]>([
    ['lab-br-netfilter', { ...lab, loaded: true }],
    ['lab-overlay', { ...lab, loaded: true }],
    ['lab-ip-vs-not-loaded', { ...lab, loaded: false }],
    [
      'vm-listed-with-files',
      { procModules: true, listed: true, loaded: true, canLoad: true, modprobe: true, loadDirExists: true, optionsDirExists: true, loadFile: '# k8s\nbr_netfilter\n', optionsFile: 'options nf_conntrack nf_conntrack_helper=0' },
    ],
  ])('parses %s', (name, expected) => expect(parseModprobeRead(testdata(name))).toEqual(expected));
  it('is one round trip', async () => {
    const fake = new FakeConnection().on(/n=br_netfilter;/, { stdout: testdata('lab-br-netfilter') });
    expect(await modprobe.read(fake, { name: 'br-netfilter' })).toMatchObject({ loaded: true });
    expect(fake.callsOf('exec')).toHaveLength(1);
    expect(fake.calls[0]?.cmd).toContain('ev=/proc/sys/net/bridge');
  });
  it('garbage is a TaskFailure', async () => {
    const fake = new FakeConnection().on(/./, { stdout: 'oops\n' });
    await expect(modprobe.read(fake, { name: 'x' })).rejects.toThrow(TaskFailure);
  });
});

describe('modprobe schema', () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(modprobe.args);
  it.each([
    [{ name: 'br_netfilter' }, true],
    [{ name: 'nf_conntrack', params: 'a=1', persistent: 'absent', state: 'absent' }, true],
    [{ name: '../x' }, false],
    [{ name: 'x', persistent: 'yes' }, false],
    [{}, false],
  ])('%j valid=%s', (args, ok) => expect(validate(args)).toBe(ok));
  it('every property has a description', () => {
    for (const p of Object.values(modprobe.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
  });
});
