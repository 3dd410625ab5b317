import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../../src/connection/fake-connection.js';
import { Secret, TaskFailure, type Change, type ControllerContext } from '../../src/module-api/index.js';
import type { CopyArgs } from './args.js';
import { parseContentState, type ContentState, type FileAttrs } from './content-read.js';
import copy, { prepareCopy } from './index.js';

const attrs = (mode = '0644', owner = 'root', group = 'root', size = 0): FileAttrs => ({ mode, owner, uid: owner === 'root' ? 0 : 1000, group, gid: group === 'root' ? 0 : 1000, size });
const file = (text: string | Buffer, a: Partial<FileAttrs> = {}): ContentState => {
  const content = Buffer.from(text);
  return { kind: 'file', attrs: { ...attrs(), ...a, size: content.length }, content };
};
const absent: ContentState = { kind: 'absent' };
const put = (path: string, content: string | Buffer, extra: Record<string, string> = {}) => ({ kind: 'put', path, content: Buffer.from(content), ...extra });
const BACKUP = { kind: 'exec', cmd: { kind: 'sh', script: `cp -p -- /etc/app.conf /etc/app.conf."$(date +%Y%m%d%H%M%S)~"` } };

/** The engine's view: content arrives as a Secret (secretArgs). */
const secretArgs = (a: CopyArgs): CopyArgs => (typeof a.content === 'string' ? { ...a, content: new Secret(a.content) } : a);

describe('copy plan', () => {
  const cases: { name: string; args: CopyArgs; current: ContentState; expected: Change[] }[] = [
    { name: 'converged', args: { dest: '/etc/app.conf', content: 'a=1\n', mode: '0644' }, current: file('a=1\n'), expected: [] },
    {
      name: 'create with mode, owner',
      args: { dest: '/etc/app.conf', content: Buffer.from('a=1\n'), mode: 600, owner: 'app' },
      current: absent,
      expected: [{ summary: 'create /etc/app.conf', steps: [put('/etc/app.conf', 'a=1\n', { mode: '0600', owner: 'app' })], diff: { path: '/etc/app.conf', before: null, after: 'a=1\n' } } as Change],
    },
    {
      name: 'update keeps the current owner/group, with backup and validate',
      args: { dest: '/etc/app.conf', content: Buffer.from('a=2\n'), backup: true, validate: 'check %s' },
      current: file('a=1\n', { owner: 'app', uid: 1000, group: 'app', gid: 1000 }),
      expected: [
        {
          summary: 'update /etc/app.conf',
          steps: [BACKUP, put('/etc/app.conf', 'a=2\n', { owner: 'app', group: 'app', validate: 'check %s' })],
          diff: { path: '/etc/app.conf', before: 'a=1\n', after: 'a=2\n' },
        } as Change,
      ],
    },
    {
      name: 'no backup of a file that does not exist',
      args: { dest: '/etc/app.conf', content: Buffer.from('x'), backup: true },
      current: absent,
      expected: [{ summary: 'create /etc/app.conf', steps: [put('/etc/app.conf', 'x')], diff: { path: '/etc/app.conf', before: null, after: 'x' } } as Change],
    },
    {
      name: 'content and mode change: one put, summary names the mode',
      args: { dest: '/etc/app.conf', content: Buffer.from('b'), mode: '0600' },
      current: file('a'),
      expected: [{ summary: 'update /etc/app.conf; mode 0644 -> 0600', steps: [put('/etc/app.conf', 'b', { mode: '0600', owner: 'root', group: 'root' })], diff: { path: '/etc/app.conf', before: 'a', after: 'b' } } as Change],
    },
    {
      name: 'same content, other attributes: chown then chmod',
      args: { dest: '/etc/app.conf', content: Buffer.from('a'), mode: '0600', owner: 'app', group: 'app' },
      current: file('a'),
      expected: [
        { summary: 'owner root -> app, group root -> app (/etc/app.conf)', steps: [{ kind: 'exec', cmd: ['chown', 'app:app', '--', '/etc/app.conf'] }] },
        { summary: 'mode 0644 -> 0600 (/etc/app.conf)', steps: [{ kind: 'exec', cmd: ['chmod', '0600', '--', '/etc/app.conf'] }] },
      ],
    },
    { name: 'numeric owner that is the current one', args: { dest: '/etc/app.conf', content: Buffer.from('a'), owner: '0', group: '0' }, current: file('a'), expected: [] },
    { name: 'force: false leaves an existing file', args: { dest: '/etc/app.conf', content: Buffer.from('new'), force: false }, current: file('old'), expected: [] },
    {
      name: 'force: false still enforces the mode',
      args: { dest: '/etc/app.conf', content: Buffer.from('new'), force: false, mode: '0640' },
      current: file('old'),
      expected: [{ summary: 'mode 0644 -> 0640 (/etc/app.conf)', steps: [{ kind: 'exec', cmd: ['chmod', '0640', '--', '/etc/app.conf'] }] }],
    },
    {
      name: 'force: false creates a missing file',
      args: { dest: '/etc/app.conf', content: Buffer.from('new'), force: false },
      current: absent,
      expected: [{ summary: 'create /etc/app.conf', steps: [put('/etc/app.conf', 'new')], diff: { path: '/etc/app.conf', before: null, after: 'new' } } as Change],
    },
    {
      name: 'binary content: placeholder diff',
      args: { dest: '/etc/app.conf', content: Buffer.from([0, 1, 2, 255]) },
      current: file(Buffer.from([0, 1])),
      expected: [
        {
          summary: 'update /etc/app.conf',
          steps: [put('/etc/app.conf', Buffer.from([0, 1, 2, 255]), { owner: 'root', group: 'root' })],
          diff: { path: '/etc/app.conf', before: '(binary, 2 bytes)\n', after: '(binary, 4 bytes)\n' },
        } as Change,
      ],
    },
    {
      name: 'a large file compared by sha256 (converged)',
      args: { dest: '/etc/app.conf', content: Buffer.from('x') },
      current: parseContentState(readFileSync(new URL('testdata/large-by-sha256.txt', import.meta.url), 'utf8').replace('20000000', '1')),
      expected: [],
    },
    {
      name: 'dest with a trailing slash and src keeps the src name',
      args: { dest: '/etc/app/', src: 'files/app.conf', content: Buffer.from('x') },
      current: file('x'),
      expected: [],
    },
  ];
  it.each(cases)('$name', ({ args, current, expected }) => {
    expect(copy.plan(args, current)).toEqual(expected);
  });

  it('secret content: the diff never shows the text', () => {
    const changes = copy.plan(secretArgs({ dest: '/etc/t', content: 'TOKEN-123' }), file('TOKEN-old'));
    expect(changes).toHaveLength(1);
    expect(changes[0]?.diff).toEqual({ path: '/etc/t', before: '(secret content)\n', after: '(secret content changed)\n' });
    expect(JSON.stringify(changes[0]?.diff)).not.toMatch(/TOKEN/);
    expect(copy.plan(secretArgs({ dest: '/etc/t', content: 'TOKEN-123' }), file('TOKEN-123'))).toEqual([]);
    expect(copy.plan(secretArgs({ dest: '/etc/t', content: 'TOKEN-123' }), absent)[0]?.diff).toEqual({ path: '/etc/t', before: null, after: '(secret content changed)\n' });
  });

  const failures: { name: string; args: CopyArgs; current: ContentState; msg: RegExp }[] = [
    { name: 'relative dest', args: { dest: 'etc/x', content: 'a' }, current: absent, msg: /not absolute/ },
    { name: 'dest is a directory', args: { dest: '/etc', content: 'a' }, current: { kind: 'directory' }, msg: /is a directory/ },
    { name: 'dest is a fifo', args: { dest: '/x', content: 'a' }, current: { kind: 'other', type: 'fifo' }, msg: /fifo, not a regular file/ },
    { name: 'bad mode', args: { dest: '/x', content: 'a', mode: 'rw' }, current: absent, msg: /not an octal mode/ },
    { name: 'validate without %s', args: { dest: '/x', content: 'a', validate: 'haproxy -c' }, current: absent, msg: /has no %s/ },
  ];
  it.each(failures)('fails: $name', ({ args, current, msg }) => {
    expect(() => copy.plan(args, current)).toThrow(TaskFailure);
    expect(() => copy.plan(args, current)).toThrow(msg);
  });
});

describe('copy prepare', () => {
  const ctx = (files: Record<string, string>): ControllerContext => ({
    host: 'h1',
    resolvePath: (p, kind) => (p.startsWith('/') ? p : `/pb/${kind}/${p}`),
    readFile: async (p) => {
      if (p.endsWith('/dir')) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
      const f = files[p];
      if (f === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return Buffer.from(f);
    },
    renderTemplate: () => {
      throw new Error('copy does not render');
    },
  });
  it('reads src from files/ as bytes, unrendered', async () => {
    const out = await prepareCopy({ dest: '/etc/x', src: 'x.conf' }, ctx({ '/pb/files/x.conf': 'v={{ x }}\n' }));
    expect(out.content).toEqual(Buffer.from('v={{ x }}\n'));
  });
  it.each<[string, CopyArgs, RegExp]>([
    ['both', { dest: '/x', src: 'a', content: 'b' }, /either content or src/],
    ['neither', { dest: '/x' }, /give content/],
    ['missing src', { dest: '/x', src: 'nope' }, /not found on the controller \(looked for \/pb\/files\/nope\)/],
    ['directory src', { dest: '/x', src: 'dir' }, /directory.*not supported yet/],
    ['directory src with slash', { dest: '/x', src: 'dir/' }, /not supported yet/],
  ])('fails: %s', async (_n, args, msg) => {
    await expect(prepareCopy(args, ctx({}))).rejects.toThrow(msg);
  });
});

describe('content read', () => {
  const data = (n: string) => readFileSync(new URL(`testdata/${n}.txt`, import.meta.url), 'utf8');
  it.each<[string, ContentState]>([
    ['absent', { kind: 'absent' }],
    ['directory', { kind: 'directory' }],
    ['dangling', { kind: 'dangling' }],
    ['fifo', { kind: 'other', type: 'fifo' }],
    ['empty', { kind: 'file', attrs: attrs('0644', 'root', 'root', 0), content: Buffer.alloc(0) }],
    ['text-crlf', { kind: 'file', attrs: attrs('0644', 'root', 'root', 8), content: Buffer.from('a=1\r\nb=2') }],
    ['binary', { kind: 'file', attrs: attrs('0644', 'root', 'root', 3), content: Buffer.from([0, 1, 255]) }],
    ['symlink-to-file', { kind: 'file', attrs: attrs('0644', 'root', 'root', 2), content: Buffer.from('x\n') }],
    [
      'large-by-sha256',
      { kind: 'file', attrs: { mode: '0600', owner: 'UNKNOWN', uid: 12345, group: 'k3s', gid: 998, size: 20000000 }, content: null, sha256: '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881' },
    ],
  ])('%s', (name, expected) => expect(parseContentState(data(name))).toEqual(expected));
  it.each(['', 'file\t644\troot\t0\troot\t0\t5\n', 'file\t644\troot\t0\troot\t0\t5\ncontent\tYQ==\n', 'stat: cannot stat\n'])('rejects %j', (out) => {
    expect(() => parseContentState(out)).toThrow(/unexpected read output|read 1 bytes of a 5-byte file/);
  });
  it('is one round trip', async () => {
    const fake = new FakeConnection().on(/base64/, { stdout: data('text-crlf') });
    expect((await copy.read(fake, { dest: '/etc/a b', content: 'x' })).kind).toBe('file');
    expect(fake.callsOf('exec')).toHaveLength(1);
    expect(fake.calls[0]?.cmd).toMatch(/^p='\/etc\/a b'\n/);
  });
  it('a failing read is a TaskFailure', async () => {
    const fake = new FakeConnection().on(/base64/, { exitCode: 2, stderr: 'base64: /etc/shadow: Permission denied' });
    await expect(copy.read(fake, { dest: '/etc/shadow', content: 'x' })).rejects.toThrow(/cannot read \/etc\/shadow: exit 2: base64: .*Permission denied/);
  });
});

describe('copy schema', () => {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(copy.args);
  it.each([
    [{ dest: '/x', content: 'a' }, true],
    [{ dest: '/x', src: 'a', mode: 644, backup: true, validate: 'x %s', force: false }, true],
    [{ content: 'a' }, false],
    [{ dest: '/x', content: 1 }, false],
    [{ dest: '/x', content: 'a', remote_src: true }, false],
  ])('%j valid=%s', (args, ok) => expect(validate(args)).toBe(ok));
  it('every property has a description; content is secret only when given as a Secret', () => {
    for (const p of Object.values(copy.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
    expect(copy.secretArgs).toBeUndefined();
  });
});
