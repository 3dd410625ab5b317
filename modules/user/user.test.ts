import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../../src/connection/fake-connection.js';
import { TaskFailure, type Change } from '../../src/module-api/index.js';
import type { UserArgs } from './args.js';
import user from './index.js';
import { parseUserRead, type UserCurrent } from './read-user.js';

const testdata = (name: string) => readFileSync(new URL(`testdata/${name}.txt`, import.meta.url), 'utf8');
const cap = parseUserRead(testdata('with-groups'));

describe('parseUserRead on captured outputs', () => {
  it.each<[string, UserCurrent]>([
    ['absent', { exists: false }],
    ['root', { exists: true, uid: 0, gid: 0, home: '/root', shell: '/bin/bash', primary: 'root', groups: [] }],
    ['with-groups', { exists: true, uid: 1000, gid: 1000, home: '/home/k3play-cap', shell: '/bin/bash', primary: 'k3play-cap', groups: ['adm', 'sudo'] }],
  ])('%s', (name, expected) => expect(parseUserRead(testdata(name))).toEqual(expected));
  it.each(['', 'passwd=a:b\nprimary=x\n'])('rejects %j', (out) => expect(() => parseUserRead(out)).toThrow(/unexpected output/));
});

const mod = (argv: string[], summary: string): Change[] => [{ summary, steps: [{ kind: 'exec', cmd: ['usermod', ...argv, 'k3play-cap'] }] }];

describe('user plan', () => {
  const cases: [string, UserArgs, UserCurrent, Change[]][] = [
    [
      'create with everything',
      { name: 'etcd', uid: 990, group: 'etcd', groups: ['adm'], home: '/var/lib/etcd', shell: '/usr/sbin/nologin', system: true, create_home: false },
      { exists: false },
      [{ summary: 'create user etcd', steps: [{ kind: 'exec', cmd: ['useradd', '-u', '990', '-g', 'etcd', '-G', 'adm', '-d', '/var/lib/etcd', '-s', '/usr/sbin/nologin', '-r', '-M', 'etcd'] }] }],
    ],
    ['create minimal', { name: 'etcd' }, { exists: false }, [{ summary: 'create user etcd', steps: [{ kind: 'exec', cmd: ['useradd', '-m', 'etcd'] }] }]],
    ['converged', { name: 'k3play-cap', uid: 1000, group: 'k3play-cap', groups: ['sudo'], home: '/home/k3play-cap', shell: '/bin/bash' }, cap, []],
    ['converged: numeric group, primary in groups', { name: 'k3play-cap', group: '1000', groups: ['k3play-cap', 'adm'] }, cap, []],
    ['append missing groups', { name: 'k3play-cap', groups: ['adm', 'users', 'video'] }, cap, mod(['-a', '-G', 'users,video'], 'user k3play-cap: groups +users,video')],
    ['exact groups (append: false)', { name: 'k3play-cap', groups: ['adm'], append: false }, cap, mod(['-G', 'adm'], 'user k3play-cap: groups adm,sudo -> adm')],
    ['exact groups already', { name: 'k3play-cap', groups: ['sudo', 'adm'], append: false }, cap, []],
    [
      'uid, shell, home differ: one usermod',
      { name: 'k3play-cap', uid: 1001, shell: '/bin/sh', home: '/srv/cap' },
      cap,
      mod(['-u', '1001', '-d', '/srv/cap', '-s', '/bin/sh'], 'user k3play-cap: uid 1000 -> 1001, home /home/k3play-cap -> /srv/cap, shell /bin/bash -> /bin/sh'),
    ],
    ['primary group differs', { name: 'k3play-cap', group: 'users' }, cap, mod(['-g', 'users'], 'user k3play-cap: group k3play-cap -> users')],
    ['remove, keep home', { name: 'k3play-cap', state: 'absent' }, cap, [{ summary: 'remove user k3play-cap', steps: [{ kind: 'exec', cmd: ['userdel', 'k3play-cap'] }] }]],
    ['remove with home', { name: 'k3play-cap', state: 'absent', remove: true }, cap, [{ summary: 'remove user k3play-cap and its home', steps: [{ kind: 'exec', cmd: ['userdel', '-r', 'k3play-cap'] }] }]],
    ['absent already', { name: 'x', state: 'absent' }, { exists: false }, []],
  ];
  it.each(cases)('%s', (_n, args, cur, expected) => expect(user.plan(args, cur)).toEqual(expected));
  it('remove without state: absent is a TaskFailure', () => expect(() => user.plan({ name: 'x', remove: true }, cap)).toThrow(TaskFailure));
});

describe('user read + schema', () => {
  it('one round trip', async () => {
    const fake = new FakeConnection().on(/getent passwd/, { stdout: testdata('root') });
    expect(await user.read(fake, { name: 'root' })).toMatchObject({ exists: true, uid: 0 });
    expect(fake.callsOf('exec')).toHaveLength(1);
  });
  const validate = new Ajv({ allErrors: true, strict: true }).compile(user.args);
  it.each([
    [{ name: 'etcd', groups: ['a'] }, true],
    [{ name: 'etcd', groups: ['a', 'a'] }, false],
    [{ name: 'etcd', shell: 'bash' }, false],
    [{ name: 'ro ot' }, false],
    [{ name: 'etcd', uid: 'x' }, false],
  ])('%j valid=%s', (args, ok) => expect(validate(args)).toBe(ok));
  it('every property has a description', () => {
    for (const p of Object.values(user.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
  });
});
