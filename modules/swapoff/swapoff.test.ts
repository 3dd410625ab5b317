import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../../src/connection/fake-connection.js';
import { TaskFailure, type Change } from '../../src/module-api/index.js';
import type { SwapoffArgs } from './args.js';
import swapoff from './index.js';
import { parseSwapRead, type SwapCurrent, type SwapUnit } from './read-swap.js';

const testdata = (name: string): string => readFileSync(new URL(`./testdata/${name}.txt`, import.meta.url), 'utf8');
const none: SwapCurrent = { active: [], systemd: true, units: [], fstab: '# UNCONFIGURED FSTAB FOR BASE SYSTEM\n' };
const unit = (u: string, load: string | null, active: string | null, fileState: string | null): SwapUnit => ({ unit: u, load, active, fileState });
const FSTAB = 'UUID=9a2b / ext4 defaults 0 1\n/dev/sda3 none swap sw 0 0\n\t/swapfile  none  swap  sw  0  0\n# /old none swap sw 0 0\n';
const FSTAB_AFTER = 'UUID=9a2b / ext4 defaults 0 1\n# k3play swapoff: /dev/sda3 none swap sw 0 0\n# k3play swapoff: \t/swapfile  none  swap  sw  0  0\n# /old none swap sw 0 0\n';

describe('swapoff plan', () => {
  const cases: { name: string; args: SwapoffArgs; current: SwapCurrent; expected: Change[] }[] = [
    { name: 'converged: no swap anywhere (lab container)', args: {}, current: none, expected: [] },
    { name: 'converged: no fstab', args: {}, current: { ...none, fstab: null, systemd: false }, expected: [] },
    { name: 'converged: masked unit, commented fstab', args: {}, current: parseSwapRead(testdata('converged-masked')), expected: [] },
    {
      name: 'everything: fstab, units, runtime',
      args: {},
      current: { active: ['/dev/sda3', '/swapfile'], systemd: true, units: [unit('dev-sda3.swap', 'loaded', 'active', 'generated'), unit('x.swap', null, null, 'enabled'), unit('y.swap', 'masked', 'inactive', 'masked'), unit('z.swap', 'loaded', 'inactive', 'generated')], fstab: FSTAB },
      expected: [
        { summary: 'comment out 2 swap entries in /etc/fstab', steps: [{ kind: 'put', path: '/etc/fstab', content: FSTAB_AFTER, mode: '0644' }], diff: { path: '/etc/fstab', before: FSTAB, after: FSTAB_AFTER } },
        { summary: 'mask dev-sda3.swap, x.swap', steps: [{ kind: 'exec', cmd: ['systemctl', 'mask', '--', 'dev-sda3.swap', 'x.swap'] }] },
        { summary: 'swap off: /dev/sda3, /swapfile', steps: [{ kind: 'exec', cmd: ['swapoff', '--', '/dev/sda3', '/swapfile'] }] },
      ],
    },
    {
      name: 'mask_units: false; custom fstab',
      args: { mask_units: false, fstab: '/etc/fstab.k3' },
      current: { ...none, units: [unit('a.swap', 'loaded', 'active', 'enabled')], fstab: '/s none swap sw 0 0' },
      expected: [
        {
          summary: 'comment out 1 swap entry in /etc/fstab.k3',
          steps: [{ kind: 'put', path: '/etc/fstab.k3', content: '# k3play swapoff: /s none swap sw 0 0', mode: '0644' }],
          diff: { path: '/etc/fstab.k3', before: '/s none swap sw 0 0', after: '# k3play swapoff: /s none swap sw 0 0' },
        },
      ],
    },
    { name: 'no systemd: units ignored', args: {}, current: { ...none, systemd: false, units: [unit('a.swap', 'loaded', 'active', 'enabled')] }, expected: [] },
    { name: 'runtime only', args: {}, current: { ...none, active: ['/swap file'] }, expected: [{ summary: 'swap off: /swap file', steps: [{ kind: 'exec', cmd: ['swapoff', '--', '/swap file'] }] }] },
  ];
  it.each(cases)('$name', ({ args, current, expected }) => expect(swapoff.plan(args, current)).toEqual(expected));
});

describe('swapoff read', () => {
  it('lab container: nothing active, no units', () => expect(parseSwapRead(testdata('lab-container-no-swap'))).toEqual(none));
  it('VM with a partition and a swap file (escaped names)', () => {
    const cur = parseSwapRead(testdata('vm-partition-and-file'));
    expect(cur.active).toEqual(['/dev/sda3', '/swap file']);
    expect(cur.units).toEqual([
      unit('dev-disk-by\\x2duuid-3f1c.swap', 'loaded', 'active', 'generated'),
      unit('dev-sda3.swap', 'loaded', 'active', null),
      unit('swap\\x20file.swap', 'loaded', 'active', 'generated'),
    ]);
    const plan = swapoff.plan({}, cur);
    expect(plan.map((c) => c.summary)).toEqual([
      'comment out 2 swap entries in /etc/fstab',
      'mask dev-disk-by\\x2duuid-3f1c.swap, dev-sda3.swap, swap\\x20file.swap',
      'swap off: /dev/sda3, /swap file',
    ]);
    // Converged after apply: the same host with swap off, units masked, fstab commented.
    const after = plan[0]?.diff?.after ?? null;
    expect(swapoff.plan({}, { active: [], systemd: true, units: cur.units.map((u) => ({ ...u, load: 'masked', active: 'inactive' })), fstab: after })).toEqual([]);
  });
  it('is one round trip', async () => {
    const fake = new FakeConnection().on(/@@k3play-swaps/, { stdout: testdata('lab-container-no-swap') });
    expect(await swapoff.read(fake, {})).toEqual(none);
    expect(fake.callsOf('exec')).toHaveLength(1);
  });
  it('garbage is a TaskFailure', async () => {
    const fake = new FakeConnection().on(/./, { stdout: 'nope\n' });
    await expect(swapoff.read(fake, {})).rejects.toThrow(TaskFailure);
  });
});

describe('swapoff schema', () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(swapoff.args);
  it.each([
    [{}, true],
    [{ fstab: '/etc/fstab', mask_units: false }, true],
    [{ mask_units: 'x' }, false],
    [{ bogus: 1 }, false],
  ])('%j valid=%s', (args, ok) => expect(validate(args)).toBe(ok));
  it('every property has a description', () => {
    for (const p of Object.values(swapoff.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
  });
});
