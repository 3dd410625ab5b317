import { lstat, mkdir, mkdtemp, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeConnection } from '../../src/connection/fake-connection.js';
import { LocalConnection } from '../../src/connection/local-connection.js';
import type { Connection } from '../../src/connection/types.js';
import { TaskFailure, type Change, type Step } from '../../src/module-api/index.js';
import type { FileArgs } from './args.js';
import file from './index.js';
import type { PathFacts, StatInfo } from './parse-stat.js';

const absent: PathFacts = { exists: false };
const info = (type: StatInfo['type'], mode = '0644', owner = 'root', group = 'root'): StatInfo => ({
  type,
  mode,
  owner,
  uid: owner === 'root' ? 0 : 1000,
  group,
  gid: group === 'root' ? 0 : 1000,
});
const at = (self: StatInfo, linkTarget: string | null = null, target: StatInfo | null = null): PathFacts => ({ exists: true, self, linkTarget, target });
const x = (...argv: string[]): Step => ({ kind: 'exec', cmd: argv });

describe('file plan', () => {
  const cases: { name: string; args: FileArgs; current: PathFacts; expected: Change[] }[] = [
    // state: file (default)
    { name: 'file: converged', args: { path: '/f', mode: '0644', owner: 'root' }, current: at(info('file')), expected: [] },
    { name: 'file: numeric uid matches owner', args: { path: '/f', owner: '0', group: '0' }, current: at(info('file')), expected: [] },
    {
      name: 'file: mode from a YAML number',
      args: { path: '/f', mode: 600 },
      current: at(info('file')),
      expected: [{ summary: 'mode 0644 -> 0600 (/f)', steps: [x('chmod', '0600', '--', '/f')], diff: { path: '/f', before: 'state: file\nmode: 0644\n', after: 'state: file\nmode: 0600\n' } }],
    },
    {
      name: 'file: owner and group, then mode',
      args: { path: '/f/', mode: '0600', owner: 'app', group: 'app' },
      current: at(info('file')),
      expected: [
        {
          summary: 'owner root -> app, group root -> app (/f)',
          steps: [x('chown', 'app:app', '--', '/f')],
          diff: { path: '/f', before: 'state: file\nmode: 0644\nowner: root\ngroup: root\n', after: 'state: file\nmode: 0600\nowner: app\ngroup: app\n' },
        },
        { summary: 'mode 0644 -> 0600 (/f)', steps: [x('chmod', '0600', '--', '/f')] },
      ],
    },
    {
      name: 'file: group only -> chgrp',
      args: { path: '/f', owner: 'root', group: 'app' },
      current: at(info('file')),
      expected: [
        {
          summary: 'group root -> app (/f)',
          steps: [x('chgrp', 'app', '--', '/f')],
          diff: { path: '/f', before: 'state: file\nowner: root\ngroup: root\n', after: 'state: file\nowner: root\ngroup: app\n' },
        },
      ],
    },
    {
      name: 'file: follows a symlink to its target',
      args: { path: '/l', mode: '0600' },
      current: at(info('link', '0777'), '/f', info('file', '0600')),
      expected: [],
    },
    // state: directory
    {
      name: 'directory: create with mode',
      args: { path: '/d', state: 'directory', mode: '0755' },
      current: absent,
      expected: [
        { summary: 'create directory /d', steps: [x('mkdir', '-p', '--', '/d')], diff: { path: '/d', before: null, after: 'state: directory\nmode: 0755\n' } },
        { summary: 'mode -> 0755 (/d)', steps: [x('chmod', '0755', '--', '/d')] },
      ],
    },
    {
      name: 'directory: create without attributes',
      args: { path: '/d', state: 'directory' },
      current: absent,
      expected: [{ summary: 'create directory /d', steps: [x('mkdir', '-p', '--', '/d')], diff: { path: '/d', before: null, after: 'state: directory\n' } }],
    },
    { name: 'directory: converged', args: { path: '/d', state: 'directory', mode: '0755' }, current: at(info('directory', '0755')), expected: [] },
    // state: touch
    {
      name: 'touch: create, then owner',
      args: { path: '/t', state: 'touch', owner: 'app' },
      current: absent,
      expected: [
        { summary: 'create empty file /t', steps: [x('touch', '--', '/t')], diff: { path: '/t', before: null, after: 'state: file\nowner: app\n' } },
        { summary: 'owner -> app (/t)', steps: [x('chown', 'app', '--', '/t')] },
      ],
    },
    { name: 'touch: existing file is not touched again', args: { path: '/t', state: 'touch' }, current: at(info('file')), expected: [] },
    // state: absent
    { name: 'absent: converged', args: { path: '/x', state: 'absent' }, current: absent, expected: [] },
    {
      name: 'absent: file',
      args: { path: '/x', state: 'absent' },
      current: at(info('file')),
      expected: [{ summary: 'remove file /x', steps: [{ kind: 'remove', path: '/x' }], diff: { path: '/x', before: 'state: file\n', after: null } }],
    },
    {
      name: 'absent: directory, recursively',
      args: { path: '/x', state: 'absent', mode: '0644' },
      current: at(info('directory')),
      expected: [{ summary: 'remove directory /x', steps: [{ kind: 'remove', path: '/x', recursive: true }], diff: { path: '/x', before: 'state: directory\n', after: null } }],
    },
    {
      name: 'absent: a link is removed, not its target',
      args: { path: '/x', state: 'absent' },
      current: at(info('link', '0777'), '/d', info('directory')),
      expected: [{ summary: 'remove link /x', steps: [{ kind: 'remove', path: '/x' }], diff: { path: '/x', before: 'state: link\nsrc: /d\n', after: null } }],
    },
    // state: link
    {
      name: 'link: create',
      args: { path: '/l', state: 'link', src: '/usr/bin/k3s' },
      current: absent,
      expected: [{ summary: 'create link /l -> /usr/bin/k3s', steps: [x('ln', '-s', '--', '/usr/bin/k3s', '/l')], diff: { path: '/l', before: null, after: 'state: link\nsrc: /usr/bin/k3s\n' } }],
    },
    { name: 'link: converged (dangling is fine)', args: { path: '/l', state: 'link', src: 'k3s' }, current: at(info('link', '0777'), 'k3s'), expected: [] },
    {
      name: 'link: retarget, then owner with -h',
      args: { path: '/l', state: 'link', src: '/b', owner: 'root' },
      current: at(info('link', '0777'), '/a', info('file')),
      expected: [
        {
          summary: 'link /l: /a -> /b',
          steps: [x('ln', '-sfn', '--', '/b', '/l')],
          diff: { path: '/l', before: 'state: link\nsrc: /a\nowner: root\n', after: 'state: link\nsrc: /b\nowner: root\n' },
        },
        { summary: 'owner -> root (/l)', steps: [x('chown', '-h', 'root', '--', '/l')] },
      ],
    },
    {
      name: 'link: force replaces a file',
      args: { path: '/l', state: 'link', src: '/b', force: true },
      current: at(info('file')),
      expected: [{ summary: 'replace file /l by a link -> /b', steps: [x('ln', '-sfn', '--', '/b', '/l')], diff: { path: '/l', before: 'state: file\n', after: 'state: link\nsrc: /b\n' } }],
    },
    {
      name: 'link: force replaces an empty directory only (rmdir)',
      args: { path: '/l', state: 'link', src: '/b', force: true },
      current: at(info('directory')),
      expected: [
        {
          summary: 'replace directory /l by a link -> /b',
          steps: [x('rmdir', '--', '/l'), x('ln', '-s', '--', '/b', '/l')],
          diff: { path: '/l', before: 'state: directory\n', after: 'state: link\nsrc: /b\n' },
        },
      ],
    },
  ];
  it.each(cases)('$name', ({ args, current, expected }) => {
    expect(file.plan(args, current)).toEqual(expected);
  });

  const failures: { name: string; args: FileArgs; current: PathFacts; msg: RegExp }[] = [
    { name: 'file: missing', args: { path: '/f' }, current: absent, msg: /does not exist/ },
    { name: 'file: is a directory', args: { path: '/f' }, current: at(info('directory')), msg: /is a directory/ },
    { name: 'directory: is a file', args: { path: '/d', state: 'directory' }, current: at(info('file')), msg: /is a file, not a directory/ },
    { name: 'relative path', args: { path: 'etc/x' }, current: absent, msg: /not absolute/ },
    { name: 'bad mode', args: { path: '/f', mode: 'u+x' }, current: at(info('file')), msg: /not an octal mode/ },
    { name: 'link without src', args: { path: '/l', state: 'link' }, current: absent, msg: /needs src/ },
    { name: 'src without link', args: { path: '/l', src: '/x' }, current: absent, msg: /only used with state: link/ },
    { name: 'mode on a link', args: { path: '/l', state: 'link', src: '/x', mode: '0644' }, current: absent, msg: /symbolic link/ },
    { name: 'link over a file without force', args: { path: '/l', state: 'link', src: '/x' }, current: at(info('file')), msg: /set force: true/ },
    { name: 'dangling link, state file', args: { path: '/l' }, current: at(info('link', '0777'), '/gone'), msg: /dangling/ },
    { name: 'remove /', args: { path: '/', state: 'absent' }, current: at(info('directory')), msg: /refusing/ },
  ];
  it.each(failures)('fails: $name', ({ args, current, msg }) => {
    expect(() => file.plan(args, current)).toThrow(TaskFailure);
    expect(failureText(() => file.plan(args, current))).toMatch(msg);
  });
});

describe('file read', () => {
  it('is one round trip, parsed', async () => {
    const fake = new FakeConnection().on(/stat --printf/, { stdout: 'self\tdirectory\t755\troot\t0\troot\t0\n' });
    expect(await file.read(fake, { path: '/etc/' })).toEqual(at(info('directory', '0755')));
    expect(fake.callsOf('exec')).toHaveLength(1);
    expect(fake.calls[0]?.cmd).toMatch(/^p=\/etc\n/);
  });
  it('unparseable output is a TaskFailure', async () => {
    const fake = new FakeConnection().on(/./, { stdout: 'stat: unrecognized option\n' });
    const err = (await file.read(fake, { path: '/x' }).catch((e: unknown) => e)) as TaskFailure;
    expect(err).toBeInstanceOf(TaskFailure);
    expect(err.message).toMatch(/cannot read the state of \/x: unexpected stat output/);
    expect(err.hint).toMatch(/GNU coreutils stat/);
  });
});

describe('file schema', () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(file.args);
  it.each([
    [{ path: '/x' }, true],
    [{ path: '/x', mode: 644 }, true],
    [{ path: '/x', mode: '0644', state: 'directory' }, true],
    [{ path: '/x', state: 'link' }, false],
    [{ path: '/x', state: 'link', src: '/y' }, true],
    [{ path: '/x', recurse: true }, false],
    [{ path: '/x', state: 'hard' }, false],
  ])('%j valid=%s', (args, ok) => expect(validate(args)).toBe(ok));
  it('every property has a description', () => {
    for (const p of Object.values(file.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
  });
});

/** Message and hint of the TaskFailure `fn` throws. */
function failureText(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof TaskFailure) return `${e.message}\n${e.hint ?? ''}`;
    throw e;
  }
  throw new Error('did not throw');
}

/** The engine's job, in miniature: run the steps of each change. */
async function apply(conn: Connection, changes: readonly Change[]): Promise<void> {
  for (const s of changes.flatMap((c) => c.steps)) {
    const r =
      s.kind === 'exec'
        ? await conn.exec(s.cmd)
        : s.kind === 'remove'
          ? await conn.exec(['rm', s.recursive ? '-rf' : '-f', '--', s.path])
          : { exitCode: 99, stderr: 'file never puts' };
    if (r.exitCode !== 0) throw new Error(`step failed (${r.exitCode}): ${r.stderr}`);
  }
}

describe('file on a local host (converge twice)', () => {
  const conn = new LocalConnection();
  const isRoot = process.getuid?.() === 0;
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k3play-file-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function converge(args: FileArgs): Promise<readonly Change[]> {
    const first = file.plan(args, await file.read(conn, args));
    await apply(conn, first);
    expect(file.plan(args, await file.read(conn, args))).toEqual([]);
    return first;
  }

  it('directory with parents and mode, then its mode changes', async () => {
    const d = join(dir, 'a', 'b');
    expect(await converge({ path: d, state: 'directory', mode: '0750' })).toHaveLength(2);
    expect((await stat(d)).mode & 0o7777).toBe(0o750);
    expect(await converge({ path: d, state: 'directory', mode: 700 })).toHaveLength(1);
    expect((await stat(d)).mode & 0o7777).toBe(0o700);
  });

  it('touch with owner/group and mode; then state: file adjusts mode', async () => {
    const f = join(dir, 'touched');
    await converge({ path: f, state: 'touch', mode: '0600', ...(isRoot ? { owner: 'nobody', group: 'nogroup' } : {}) });
    const s = await stat(f);
    expect(s.mode & 0o7777).toBe(0o600);
    if (isRoot) expect([s.uid, s.gid]).toEqual([65534, 65534]);
    expect(await converge({ path: f, mode: '0640' })).toHaveLength(1);
  });

  it('link: create, retarget, force over a file', async () => {
    const l = join(dir, 'link');
    await converge({ path: l, state: 'link', src: 'touched' });
    expect(await readlink(l)).toBe('touched');
    await converge({ path: l, state: 'link', src: join(dir, 'a') });
    expect(await readlink(l)).toBe(join(dir, 'a'));
    const f = join(dir, 'plain');
    await writeFile(f, 'data');
    const cur = await file.read(conn, { path: f, state: 'link', src: 'x' });
    expect(failureText(() => file.plan({ path: f, state: 'link', src: 'x' }, cur))).toMatch(/set force: true/);
    await converge({ path: f, state: 'link', src: 'x', force: true });
    expect((await lstat(f)).isSymbolicLink()).toBe(true);
  });

  it('absent: a directory tree, then a link', async () => {
    await mkdir(join(dir, 'gone', 'deep'), { recursive: true });
    await converge({ path: join(dir, 'gone'), state: 'absent' });
    await converge({ path: join(dir, 'link'), state: 'absent' });
    await expect(lstat(join(dir, 'link'))).rejects.toThrow(/ENOENT/);
    await expect(stat(join(dir, 'a'))).resolves.toBeTruthy(); // the link's target stays
  });
});
