import { mkdtemp, readFile, rm, stat, writeFile, readdir, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sh } from '../module-api/shell-quote.js';
import { LocalConnection, parseOctalMode } from './local-connection.js';
import type { Command, ExecOptions } from './types.js';

const conn = new LocalConnection();
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k3play-local-'));
});
afterAll(async () => {
  await conn.close();
  await rm(dir, { recursive: true, force: true });
});

describe('LocalConnection.exec', () => {
  const cases: { name: string; cmd: Command; opts?: ExecOptions; exitCode: number; stdout?: string; stderr?: RegExp }[] = [
    { name: 'argv, exit 0', cmd: ['echo', 'hello world'], exitCode: 0, stdout: 'hello world\n' },
    { name: 'argv is not run through a shell', cmd: ['echo', '$HOME; `id`'], exitCode: 0, stdout: '$HOME; `id`\n' },
    { name: 'non-zero exit resolves', cmd: ['sh', '-c', 'echo oops >&2; exit 3'], exitCode: 3, stderr: /oops/ },
    { name: 'sh script', cmd: sh`printf '%s|' ${'a b'} c`, exitCode: 0, stdout: 'a b|c|' },
    { name: 'stdin is written then closed', cmd: ['cat'], opts: { stdin: 'from stdin' }, exitCode: 0, stdout: 'from stdin' },
    { name: 'no stdin: EOF, not a hang', cmd: ['cat'], exitCode: 0, stdout: '' },
    { name: 'missing argv[0] -> 127', cmd: ['no-such-command-k3play'], exitCode: 127, stderr: /command not found: no-such-command-k3play/ },
    { name: 'env merged onto a clean env', cmd: sh`echo "$FOO|$LANG|\${K3PLAY_LEAK:-unset}"`, opts: { env: { FOO: 'bar' } }, exitCode: 0, stdout: 'bar|C.UTF-8|unset\n' },
    { name: 'cwd', cmd: ['pwd'], opts: { cwd: '/' }, exitCode: 0, stdout: '/\n' },
    { name: 'missing cwd', cmd: ['pwd'], opts: { cwd: '/no/such/dir/k3play' }, exitCode: 1, stderr: /no such directory/ },
    { name: 'stdin ignored by the command (EPIPE is fine)', cmd: ['true'], opts: { stdin: 'x'.repeat(1 << 20) }, exitCode: 0 },
    { name: 'sudo as root runs directly', cmd: ['id', '-u'], opts: { sudo: true }, exitCode: 0 },
  ];
  process.env['K3PLAY_LEAK'] = 'leaked';
  it.each(cases)('$name', async ({ cmd, opts, exitCode, stdout, stderr }) => {
    const r = await conn.exec(cmd, opts);
    expect(r.exitCode, r.stderr).toBe(exitCode);
    if (stdout !== undefined) expect(r.stdout).toBe(stdout);
    if (stderr) expect(r.stderr).toMatch(stderr);
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('timeout kills the whole process tree and returns 124', async () => {
    const t0 = Date.now();
    const r = await conn.exec(sh`sleep 30; echo never`, { timeoutMs: 200 });
    expect(r.exitCode).toBe(124);
    expect(r.stderr).toMatch(/timed out after 200 ms/);
    expect(r.stdout).toBe('');
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('is fast enough for localhost runs', async () => {
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) await conn.exec(['true']);
    expect((performance.now() - t0) / 10).toBeLessThan(200);
  });
});

describe('LocalConnection.put/get', () => {
  it('writes atomically with mode 0644 by default, leaves no temp file', async () => {
    const p = join(dir, 'new.txt');
    await conn.put(p, 'one\n');
    expect(await readFile(p, 'utf8')).toBe('one\n');
    expect((await stat(p)).mode & 0o7777).toBe(0o644);
    expect((await readdir(dir)).filter((n) => n.includes('k3play-'))).toEqual([]);
  });

  it('keeps the existing mode when none is given', async () => {
    const p = join(dir, 'keep.txt');
    await writeFile(p, 'old');
    await chmod(p, 0o600);
    await conn.put(p, Buffer.from('new'));
    expect(await readFile(p, 'utf8')).toBe('new');
    expect((await stat(p)).mode & 0o7777).toBe(0o600);
  });

  it('applies the given mode and owner/group', async () => {
    const p = join(dir, 'owned.txt');
    await conn.put(p, 'x', { mode: '0640', owner: 'nobody', group: 'nogroup' });
    const s = await stat(p);
    expect(s.mode & 0o7777).toBe(0o640);
    if (process.getuid?.() === 0) expect([s.uid, s.gid]).toEqual([65534, 65534]);
  });

  it('fails clearly when the directory is missing', async () => {
    await expect(conn.put(join(dir, 'missing', 'f.txt'), 'x')).rejects.toThrow(/directory .*missing does not exist/);
  });

  it('fails clearly on an unknown owner and removes the temp file', async () => {
    const p = join(dir, 'badowner.txt');
    await expect(conn.put(p, 'x', { owner: 'no-such-user-k3play' })).rejects.toThrow(/chown no-such-user-k3play failed/);
    expect((await readdir(dir)).filter((n) => n.includes('k3play-'))).toEqual([]);
  });

  it('get returns content or null', async () => {
    const p = join(dir, 'get.txt');
    await writeFile(p, Buffer.from([0, 1, 2, 255]));
    expect(await conn.get(p)).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(await conn.get(join(dir, 'nope'))).toBeNull();
  });
});

describe('parseOctalMode', () => {
  it.each([
    ['0644', 0o644],
    ['755', 0o755],
    ['4755', 0o4755],
  ])('%s', (s, n) => expect(parseOctalMode(s)).toBe(n));
  it.each(['999', 'u+x', '', '01234'])('rejects %j', (s) => expect(() => parseOctalMode(s)).toThrow(/invalid file mode/));
});

describe('putScript (the shell form of put)', () => {
  it('writes stdin atomically with the given mode; missing dir -> exit 3', async () => {
    const { putScript } = await import('./put-script.js');
    const p = join(dir, "script put's.txt");
    const r = await conn.exec(putScript(p, { mode: '0600' }), { stdin: 'via script\n' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await readFile(p, 'utf8')).toBe('via script\n');
    expect((await stat(p)).mode & 0o7777).toBe(0o600);
    const again = await conn.exec(putScript(p), { stdin: 'again' });
    expect(again.exitCode, again.stderr).toBe(0);
    expect((await stat(p)).mode & 0o7777).toBe(0o600);
    const missing = await conn.exec(putScript(join(dir, 'nope', 'f')), { stdin: 'x' });
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr).toMatch(/does not exist/);
    expect((await readdir(dir)).filter((n) => n.includes('k3play-'))).toEqual([]);
  });
});

describe('become', () => {
  it('another becomeUser: runuser when root, else sudo -n (127 when sudo is missing)', async () => {
    const r = await conn.exec(['id', '-un'], { sudo: true, becomeUser: 'nobody', env: { X: '1' } });
    if (r.exitCode === 127) expect(r.stderr).toMatch(/command not found: sudo/);
    else expect(r.stdout.trim()).toBe('nobody');
  });
});
