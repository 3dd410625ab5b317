import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../../src/connection/fake-connection.js';
import { TaskFailure, type Change } from '../../src/module-api/index.js';
import type { HostnameArgs } from './args.js';
import hostname from './index.js';
import { parseHostnameRead, type HostnameCurrent } from './read-hostname.js';

const testdata = (name: string): string => readFileSync(new URL(`./testdata/${name}.txt`, import.meta.url), 'utf8');
const sd = (runtime: string, file: string | null): HostnameCurrent => ({ runtime, hostnamectl: true, file });
const plain = (runtime: string, file: string | null): HostnameCurrent => ({ runtime, hostnamectl: false, file });

describe('hostname plan', () => {
  const cases: { name: string; args: HostnameArgs; current: HostnameCurrent; expected: Change[] }[] = [
    { name: 'converged (systemd)', args: { name: 'h1' }, current: sd('h1', 'h1\n'), expected: [] },
    { name: 'converged (comment above the name)', args: { name: 'old' }, current: parseHostnameRead(testdata('no-systemd-commented-file')), expected: [] },
    {
      name: 'systemd: one hostnamectl call, diff of /etc/hostname',
      args: { name: 'cp1.example.net' },
      current: sd('h1', 'h1\n'),
      expected: [{ summary: 'hostname h1 -> cp1.example.net (hostnamectl)', steps: [{ kind: 'exec', cmd: ['hostnamectl', 'set-hostname', 'cp1.example.net'] }], diff: { path: '/etc/hostname', before: 'h1\n', after: 'cp1.example.net\n' } }],
    },
    { name: 'systemd: runtime only (no diff)', args: { name: 'cp1' }, current: sd('h1', 'cp1\n'), expected: [{ summary: 'hostname h1 -> cp1 (hostnamectl)', steps: [{ kind: 'exec', cmd: ['hostnamectl', 'set-hostname', 'cp1'] }] }] },
    {
      name: 'no systemd: file then runtime',
      args: { name: 'cp1' },
      current: plain('localhost', null),
      expected: [
        { summary: '/etc/hostname: (none) -> cp1', steps: [{ kind: 'put', path: '/etc/hostname', content: 'cp1\n', mode: '0644' }], diff: { path: '/etc/hostname', before: null, after: 'cp1\n' } },
        { summary: 'running host name localhost -> cp1', steps: [{ kind: 'exec', cmd: ['hostname', 'cp1'] }] },
      ],
    },
    { name: 'no systemd: runtime only', args: { name: 'cp1' }, current: plain('x', 'cp1\n'), expected: [{ summary: 'running host name x -> cp1', steps: [{ kind: 'exec', cmd: ['hostname', 'cp1'] }] }] },
  ];
  it.each(cases)('$name', ({ args, current, expected }) => expect(hostname.plan(args, current)).toEqual(expected));
});

describe('hostname read', () => {
  it.each<[string, HostnameCurrent]>([
    ['lab-systemd', sd('h1', 'h1\n')],
    ['no-systemd-no-file', plain('localhost', null)],
    ['no-systemd-commented-file', plain('old', '# set by the installer\nold\n')],
  ])('parses %s', (name, expected) => expect(parseHostnameRead(testdata(name))).toEqual(expected));
  it('is one round trip', async () => {
    const fake = new FakeConnection().on(/kernel\/hostname/, { stdout: testdata('lab-systemd') });
    expect(await hostname.read(fake, { name: 'h1' })).toEqual(sd('h1', 'h1\n'));
    expect(fake.callsOf('exec')).toHaveLength(1);
  });
  it('garbage is a TaskFailure', async () => {
    const fake = new FakeConnection().on(/./, { stdout: '' });
    await expect(hostname.read(fake, { name: 'h1' })).rejects.toThrow(TaskFailure);
  });
});

describe('hostname schema', () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(hostname.args);
  it.each([
    [{ name: 'h1' }, true],
    [{ name: 'cp-1.example.net' }, true],
    [{ name: '-x' }, false],
    [{ name: 'a b' }, false],
    [{ name: 'x_y' }, false],
    [{ name: `${'a'.repeat(64)}` }, false],
    [{}, false],
  ])('%j valid=%s', (args, ok) => expect(validate(args)).toBe(ok));
  it('every property has a description', () => {
    for (const p of Object.values(hostname.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
  });
});
