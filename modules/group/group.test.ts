import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../../src/connection/fake-connection.js';
import type { Change } from '../../src/module-api/index.js';
import type { GroupArgs } from './args.js';
import group, { parseGetentGroup, type GroupCurrent } from './index.js';

const testdata = (name: string) => readFileSync(new URL(`testdata/${name}.txt`, import.meta.url), 'utf8');

describe('parseGetentGroup', () => {
  it.each<[string, string, GroupCurrent]>([
    ['root', 'root', { gid: 0 }],
    ['absent', 'k3play-none', { gid: null }],
  ])('%s', (file, name, expected) => expect(parseGetentGroup(name, testdata(file))).toEqual(expected));
  it('rejects other exit codes', () => expect(() => parseGetentGroup('x', 'rc=1\n')).toThrow(/getent exited 1/));
});

describe('group plan', () => {
  const cases: [string, GroupArgs, GroupCurrent, Change[]][] = [
    ['create', { name: 'etcd', system: true }, { gid: null }, [{ summary: 'create group etcd', steps: [{ kind: 'exec', cmd: ['groupadd', '-r', 'etcd'] }] }]],
    ['create with gid', { name: 'etcd', gid: 990 }, { gid: null }, [{ summary: 'create group etcd (gid 990)', steps: [{ kind: 'exec', cmd: ['groupadd', '-g', '990', 'etcd'] }] }]],
    ['converged', { name: 'etcd', gid: 990 }, { gid: 990 }, []],
    ['converged without gid', { name: 'etcd' }, { gid: 5 }, []],
    ['gid differs', { name: 'etcd', gid: 990 }, { gid: 5 }, [{ summary: 'group etcd: gid 5 -> 990', steps: [{ kind: 'exec', cmd: ['groupmod', '-g', '990', 'etcd'] }] }]],
    ['remove', { name: 'etcd', state: 'absent' }, { gid: 5 }, [{ summary: 'remove group etcd', steps: [{ kind: 'exec', cmd: ['groupdel', 'etcd'] }] }]],
    ['absent already', { name: 'etcd', state: 'absent' }, { gid: null }, []],
  ];
  it.each(cases)('%s', (_n, args, cur, expected) => expect(group.plan(args, cur)).toEqual(expected));
});

describe('group read + schema', () => {
  it('one round trip', async () => {
    const fake = new FakeConnection().on(/getent group/, { stdout: testdata('root') });
    expect(await group.read(fake, { name: 'root' })).toEqual({ gid: 0 });
    expect(fake.callsOf('exec')).toHaveLength(1);
  });
  const validate = new Ajv({ allErrors: true, strict: true }).compile(group.args);
  it.each([
    [{ name: 'etcd' }, true],
    [{ name: 'Bad Name' }, false],
    [{ name: 'etcd', gid: -1 }, false],
    [{ name: 'etcd', state: 'gone' }, false],
  ])('%j valid=%s', (args, ok) => expect(validate(args)).toBe(ok));
  it('every property has a description', () => {
    for (const p of Object.values(group.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
  });
});
