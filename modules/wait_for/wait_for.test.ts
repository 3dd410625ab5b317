import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeConnection } from '../../src/connection/fake-connection.js';
import { LocalConnection } from '../../src/connection/local-connection.js';
import { TaskFailure } from '../../src/module-api/index.js';
import type { WaitForArgs } from './args.js';
import waitFor from './index.js';
import { pollScript, waitCondition } from './wait-condition.js';

describe('wait_for plan', () => {
  it('condition holds -> [] (ok)', () => expect(waitFor.plan({ port: 6443 }, { holds: true })).toEqual([]));
  it.each<[WaitForArgs, string, number]>([
    [{ port: 6443 }, 'waited for port 6443 on 127.0.0.1 to be started (timeout 300 s)', 330_000],
    [{ port: 2379, host: '10.0.0.5', state: 'stopped', timeout: 10, delay: 5 }, 'waited for port 2379 on 10.0.0.5 to be stopped (timeout 10 s)', 45_000],
    [{ path: '/var/lib/x/token' }, 'waited for /var/lib/x/token to be present (timeout 300 s)', 330_000],
    [{ path: '/run/x.lock', state: 'absent', timeout: 20 }, 'waited for /run/x.lock to be absent (timeout 20 s)', 50_000],
    [{ path: '/var/log/x', search_regex: 'ready' }, 'waited for /var/log/x to match /ready/ (timeout 300 s)', 330_000],
  ])('%j -> one maybe change polling on the host', (args, summary, timeoutMs) => {
    const [c, ...rest] = waitFor.plan(args, { holds: false });
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ summary, maybe: true });
    expect(c?.steps).toHaveLength(1);
    expect(c?.steps[0]).toMatchObject({ kind: 'exec', timeoutMs });
  });
  it.each<[WaitForArgs, RegExp]>([
    [{}, /either port or path/],
    [{ port: 1, path: '/a' }, /either port or path/],
    [{ port: 1, state: 'present' }, /is for a path/],
    [{ path: '/a', state: 'started' }, /is for a port/],
    [{ port: 1, search_regex: 'x' }, /path only/],
    [{ path: '/a', host: 'h' }, /host goes with port/],
    [{ path: '/a', state: 'absent', search_regex: 'x' }, /goes with state: present/],
  ])('%j -> TaskFailure', (args, msg) => {
    expect(() => waitFor.plan(args, { holds: false })).toThrow(TaskFailure);
    expect(() => waitFor.plan(args, { holds: false })).toThrow(msg);
  });
});

describe('wait_for read', () => {
  it('one round trip', async () => {
    const fake = new FakeConnection().on(/holds=1/, { stdout: 'holds=0\n' });
    expect(await waitFor.read(fake, { path: '/a b' })).toEqual({ holds: false });
    expect(fake.callsOf('exec')).toHaveLength(1);
    expect(fake.calls[0]?.cmd).toContain("[ -e '/a b' ]");
  });
  it('a broken check is a TaskFailure', async () => {
    const fake = new FakeConnection().on(/./, { exitCode: 127, stderr: 'sh: nope' });
    await expect(waitFor.read(fake, { path: '/a' })).rejects.toThrow(/cannot check/);
  });
});

describe('wait_for schema', () => {
  const validate = new Ajv({ allErrors: true, strict: true, useDefaults: true }).compile(waitFor.args);
  it.each([
    [{ port: 22 }, true],
    [{ port: 0 }, false],
    [{ port: 70000 }, false],
    [{ port: 22, host: 'a b' }, false],
    [{ path: '/x', timeout: 0 }, false],
    [{ path: '/x', bogus: 1 }, false],
  ])('%j valid=%s', (args, ok) => expect(validate(args)).toBe(ok));
  it('every property has a description', () => {
    for (const p of Object.values(waitFor.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
  });
});

describe('wait_for conditions on the local host', () => {
  const conn = new LocalConnection();
  let dir = '';
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k3play-wait-'));
    server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });
  const holds = async (args: WaitForArgs) => (await waitFor.read(conn, args)).holds;

  it('ports: listening / not / via /dev/tcp', async () => {
    expect(await holds({ port })).toBe(true);
    expect(await holds({ port, state: 'stopped' })).toBe(false);
    expect(await holds({ port, host: 'localhost' })).toBe(true);
    expect(await holds({ port: 1 })).toBe(false);
    expect(await holds({ port: 1, state: 'stopped' })).toBe(true);
  });
  it('paths and regex', async () => {
    const f = join(dir, 'log');
    expect(await holds({ path: f })).toBe(false);
    expect(await holds({ path: f, state: 'absent' })).toBe(true);
    await writeFile(f, 'starting\nready to serve\n');
    expect(await holds({ path: f })).toBe(true);
    expect(await holds({ path: f, search_regex: '^ready to' })).toBe(true);
    expect(await holds({ path: f, search_regex: 'nope' })).toBe(false);
  });
  it('the poll loop waits, and times out with a clear message', async () => {
    const f = join(dir, 'later');
    setTimeout(() => void writeFile(f, 'x'), 1200);
    const ok = await conn.exec(pollScript(waitCondition({ path: f }), 10, 0, 1));
    expect(ok.exitCode).toBe(0);
    const late = await conn.exec(pollScript(waitCondition({ path: join(dir, 'never') }), 1, 0, 1));
    expect(late.exitCode).toBe(1);
    expect(late.stderr).toMatch(/timed out after 1 s waiting for .*never to be present/);
  });
});
