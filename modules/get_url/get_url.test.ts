import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalConnection } from '../../src/connection/local-connection.js';
import { TaskFailure, type Change } from '../../src/module-api/index.js';
import type { GetUrlArgs } from './args.js';
import getUrl from './index.js';
import { downloadScript } from './plan-get-url.js';
import { parseDest, type DestFacts } from './read-dest.js';

const testdata = (name: string) => readFileSync(new URL(`testdata/${name}.txt`, import.meta.url), 'utf8');
const SHA = 'bca117e409063f4c18bda5113cba607ffba3b412328a606c453142304acf54fb';
const file = parseDest(testdata('file'));

describe('parseDest on captured outputs', () => {
  it.each<[string, DestFacts]>([
    ['absent', { kind: 'absent' }],
    ['notfile', { kind: 'notfile' }],
    ['file', { kind: 'file', sha256: SHA, mode: '0755', owner: 'root', uid: 0, group: 'root', gid: 0 }],
  ])('%s', (name, expected) => expect(parseDest(testdata(name))).toEqual(expected));
  it.each(['', 'file\tzz\n', 'what\n'])('rejects %j', (out) => expect(() => parseDest(out)).toThrow(/unexpected output/));
});

describe('get_url plan', () => {
  const base: GetUrlArgs = { url: 'http://10.0.0.1/k3s', dest: '/etc/hostname', checksum: `sha256:${SHA}` };
  it('checksum matches -> converged', () => expect(getUrl.plan(base, file)).toEqual([]));
  it('checksum matches (upper-case hex), force has no effect', () => expect(getUrl.plan({ ...base, checksum: `sha256:${SHA.toUpperCase()}`, force: true }, file)).toEqual([]));
  it.each<[string, GetUrlArgs, Change[]]>([
    ['mode differs', { ...base, mode: '0644' }, [{ summary: 'mode 0755 -> 0644 (/etc/hostname)', steps: [{ kind: 'exec', cmd: ['chmod', '0644', '--', '/etc/hostname'] }] }]],
    ['owner+group differ', { ...base, owner: 'nobody', group: 'nogroup' }, [{ summary: 'chown nobody:nogroup /etc/hostname', steps: [{ kind: 'exec', cmd: ['chown', 'nobody:nogroup', '--', '/etc/hostname'] }] }]],
    ['numeric owner that matches', { ...base, owner: '0', mode: 755 }, []],
  ])('%s', (_n, args, expected) => expect(getUrl.plan(args, file)).toEqual(expected));
  it('absent -> one download step', () => {
    const [c, ...rest] = getUrl.plan({ ...base, dest: '/usr/local/bin/k3s', timeout: 30 }, { kind: 'absent' });
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ summary: 'download http://10.0.0.1/k3s -> /usr/local/bin/k3s', steps: [{ kind: 'exec', timeoutMs: 60_000 }] });
    expect(c?.maybe).toBeUndefined();
  });
  it('other content -> download, summary names the old digest', () => {
    const [c] = getUrl.plan({ ...base, checksum: `sha256:${'a'.repeat(64)}` }, file);
    expect(c?.summary).toBe('download http://10.0.0.1/k3s -> /etc/hostname (replaces sha256:bca117e40906…)');
  });
  it('force without checksum -> always, maybe', () => {
    const { checksum: _c, ...noSum } = base;
    expect(getUrl.plan({ ...noSum, force: true }, file)[0]?.maybe).toBe(true);
  });
  it.each<[GetUrlArgs, DestFacts, RegExp]>([
    [{ url: 'http://x/a', dest: '/a' }, { kind: 'absent' }, /checksum is required/],
    [base, { kind: 'notfile' }, /not a regular file/],
    [{ ...base, mode: 'u+x' }, file, /not an octal mode/],
  ])('%j -> TaskFailure', (args, cur, msg) => {
    expect(() => getUrl.plan(args, cur)).toThrow(TaskFailure);
    expect(() => getUrl.plan(args, cur)).toThrow(msg);
  });
});

describe('get_url schema', () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(getUrl.args);
  it.each([
    [{ url: 'https://a/b', dest: '/x', checksum: `sha256:${SHA}` }, true],
    [{ url: 'file:///etc/passwd', dest: '/x' }, false],
    [{ url: 'https://a/b', dest: 'rel' }, false],
    [{ url: 'https://a/b', dest: '/x', checksum: 'md5:abc' }, false],
    [{ url: 'https://a/b', dest: '/x', mode: '0755', timeout: 0 }, false],
  ])('%j valid=%s', (args, ok) => expect(validate(args)).toBe(ok));
  it('every property has a description', () => {
    for (const p of Object.values(getUrl.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
  });
});

describe('get_url download script on the local host', () => {
  const conn = new LocalConnection();
  const body = 'k3play artifact\n';
  const sha = createHash('sha256').update(body).digest('hex');
  let dir = '';
  let server: Server;
  let url = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k3play-get-url-'));
    server = createServer((req, res) => (req.url === '/a' ? res.end(body) : res.writeHead(404).end()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it('downloads, verifies, sets the mode, converges', async () => {
    const args: GetUrlArgs = { url: `${url}/a`, dest: join(dir, 'a'), checksum: `sha256:${sha}`, mode: '0750' };
    const [c] = getUrl.plan(args, await getUrl.read(conn, args));
    const step = c?.steps[0];
    if (step?.kind !== 'exec') throw new Error('expected exec');
    expect((await conn.exec(step.cmd)).exitCode).toBe(0);
    expect(await readFile(args.dest, 'utf8')).toBe(body);
    expect((await stat(args.dest)).mode & 0o7777).toBe(0o750);
    expect(getUrl.plan(args, await getUrl.read(conn, args))).toEqual([]);
  });
  it('a wrong checksum leaves dest unchanged and no temp file', async () => {
    const dest = join(dir, 'b');
    await writeFile(dest, 'old\n');
    const r = await conn.exec(downloadScript({ url: `${url}/a`, dest }, 'f'.repeat(64), undefined));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/checksum mismatch .*expected sha256:f{64}, got sha256:[0-9a-f]{64}; .* left unchanged/);
    expect(await readFile(dest, 'utf8')).toBe('old\n');
    expect((await readdir(dir)).filter((f) => f.startsWith('.k3play'))).toEqual([]);
  });
  it('HTTP 404 fails with curl\'s message', async () => {
    const r = await conn.exec(downloadScript({ url: `${url}/missing`, dest: join(dir, 'c') }, sha, undefined));
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/404/);
  });
});
