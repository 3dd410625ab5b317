import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname as osHostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FakeConnection } from '../connection/fake-connection.js';
import { LocalConnection } from '../connection/local-connection.js';
import type { Command, Connection, ExecOptions, ExecResult } from '../connection/types.js';
import { HostUnreachable } from '../connection/types.js';
import { K3playError } from '../errors/k3play-error.js';
import { FactsCache } from './facts-cache.js';
import { type GatherOutcome, gatherAll, gatherFacts, gatherModeOf } from './gather-facts.js';
import { parseFacts } from './parse-facts.js';
import { PROBE_SCRIPT } from './probe-script.js';

const captured = (name: string): string => readFileSync(new URL(`./testdata/${name}.txt`, import.meta.url), 'utf8');

/** A fake host that answers the probe (and only the probe) with captured output. */
function fakeHost(name: string, output = captured('debian12-nspawn')): FakeConnection {
  return new FakeConnection(name).on(PROBE_SCRIPT, { stdout: output.replace('k3s-1', name) });
}
const execs = (c: FakeConnection): number => c.callsOf('exec').length;
const sources = (m: Map<string, GatherOutcome>): Record<string, string> =>
  Object.fromEntries([...m].map(([h, o]) => [h, o.source]));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'k3play-gather-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('gatherFacts', () => {
  test('exactly one exec, of the probe script as a ShellScript, with a timeout', async () => {
    const c = fakeHost('h1');
    const f = await gatherFacts(c);
    expect(f.hostname).toBe('h1');
    expect(c.calls).toHaveLength(1);
    expect(c.callsOf('exec')[0]).toMatchObject({ cmd: PROBE_SCRIPT, opts: { timeoutMs: 60_000 } });
  });

  test.each([
    { name: 'non-zero exit', reply: { exitCode: 2, stderr: 'sh: 1: Syntax error\n' }, message: /host h1.*exited 2: sh: 1: Syntax error/s },
    { name: 'incomplete output', reply: { stdout: captured('debian12-nspawn').slice(0, 300), stderr: 'Connection reset' }, message: /incomplete.*Connection reset/ },
  ])('$name -> K3playError naming the host and stderr', async ({ reply, message }) => {
    const c = new FakeConnection('h1').on(PROBE_SCRIPT, reply);
    const err = await gatherFacts(c).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(K3playError);
    const p = (err as K3playError).problems[0];
    expect(`${p?.context} ${p?.message}`).toMatch(message);
  });

  test('HostUnreachable propagates unchanged', async () => {
    const c = new FakeConnection('h1');
    c.exec = async () => {
      throw new HostUnreachable('h1', 'connection refused');
    };
    await expect(gatherFacts(c)).rejects.toBeInstanceOf(HostUnreachable);
  });
});

describe('gatherAll', () => {
  test('one round trip per host; the per-run cache answers afterwards', async () => {
    const hosts = ['a', 'b', 'c'].map((h) => fakeHost(h));
    const cache = new FactsCache();
    const first = await gatherAll(hosts, cache, { mode: 'always' });
    expect(sources(first)).toEqual({ a: 'gathered', b: 'gathered', c: 'gathered' });
    expect(hosts.map(execs)).toEqual([1, 1, 1]);
    const again = await gatherAll(hosts, cache, { mode: 'always' });
    expect(sources(again)).toEqual({ a: 'run-cache', b: 'run-cache', c: 'run-cache' });
    expect(hosts.map(execs)).toEqual([1, 1, 1]);
  });

  test('after forgetHost only that host is gathered again', async () => {
    const hosts = ['a', 'b'].map((h) => fakeHost(h));
    const cache = new FactsCache();
    await gatherAll(hosts, cache, { mode: 'always' });
    cache.forgetHost('a');
    const again = await gatherAll(hosts, cache, { mode: 'always' });
    expect(sources(again)).toEqual({ a: 'gathered', b: 'run-cache' });
    expect(hosts.map(execs)).toEqual([2, 1]);
  });

  test('smart: a fresh persistent copy saves the round trip in the next run; an expired one does not', async () => {
    let now = Date.parse('2024-06-01T12:00:00Z');
    const clock = (): number => now;
    const run1 = [fakeHost('a')];
    await gatherAll(run1, new FactsCache({ dir, ttlSeconds: 600, now: clock }), { mode: 'smart' });
    expect(execs(run1[0]!)).toBe(1);

    now += 599_000;
    const run2 = [fakeHost('a')];
    const o2 = await gatherAll(run2, new FactsCache({ dir, ttlSeconds: 600, now: clock }), { mode: 'smart' });
    expect(sources(o2)).toEqual({ a: 'persistent' });
    expect(execs(run2[0]!)).toBe(0);
    const f2 = o2.get('a');
    expect(f2?.source === 'persistent' && f2.facts.epoch).toBeNull();

    now += 2_000;
    const run3 = [fakeHost('a')];
    expect(sources(await gatherAll(run3, new FactsCache({ dir, ttlSeconds: 600, now: clock }), { mode: 'smart' }))).toEqual({
      a: 'gathered',
    });
    expect(execs(run3[0]!)).toBe(1);
  });

  test('smart: a change on the host during the run invalidates the persistent copy', async () => {
    const cache = new FactsCache({ dir });
    const h = fakeHost('a');
    await gatherAll([h], cache, { mode: 'smart' });
    cache.forgetHost('a');
    await gatherAll([h], new FactsCache({ dir }), { mode: 'smart' });
    expect(execs(h)).toBe(2);
  });

  test('always: ignores the persistent copy but refreshes it', async () => {
    await gatherAll([fakeHost('a')], new FactsCache({ dir }), { mode: 'always' });
    const h = fakeHost('a');
    expect(sources(await gatherAll([h], new FactsCache({ dir }), { mode: 'always' }))).toEqual({ a: 'gathered' });
    expect(execs(h)).toBe(1);
    expect(existsSync(join(dir, 'a.json'))).toBe(true);
  });

  test('never: no round trip; only facts already gathered in this run', async () => {
    const cache = new FactsCache({ dir });
    const [a, b] = [fakeHost('a'), fakeHost('b')];
    await gatherAll([a], cache, { mode: 'always' });
    expect(sources(await gatherAll([a, b], cache, { mode: 'never' }))).toEqual({ a: 'run-cache', b: 'none' });
    expect([execs(a), execs(b)]).toEqual([1, 0]);
  });

  test('a failing host is reported; the others go on', async () => {
    const bad = new FakeConnection('bad').on(PROBE_SCRIPT, { exitCode: 126, stderr: 'permission denied' });
    const out = await gatherAll([fakeHost('a'), bad, fakeHost('c')], new FactsCache(), { mode: 'always' });
    expect(sources(out)).toEqual({ a: 'gathered', bad: 'failed', c: 'gathered' });
    const o = out.get('bad');
    expect(o?.source === 'failed' && String(o.error)).toMatch(/permission denied/);
  });

  test('an unwritable persistent cache is a warning, not a failure', async () => {
    writeFileSync(join(dir, 'not-a-dir'), '');
    const out = await gatherAll([fakeHost('a')], new FactsCache({ dir: join(dir, 'not-a-dir') }), { mode: 'smart' });
    expect(out.get('a')).toMatchObject({ source: 'gathered', warning: expect.stringMatching(/facts cache not written/) });
  });

  test('the concurrency limit is honoured', async () => {
    let running = 0;
    let peak = 0;
    const slow = (name: string): Connection => {
      const inner = fakeHost(name);
      return {
        host: name,
        async exec(cmd: Command, opts?: ExecOptions): Promise<ExecResult> {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 10));
          running--;
          return inner.exec(cmd, opts);
        },
        put: inner.put.bind(inner),
        get: inner.get.bind(inner),
        close: inner.close.bind(inner),
      };
    };
    const out = await gatherAll(['a', 'b', 'c', 'd', 'e'].map(slow), new FactsCache(), { mode: 'always', limit: 2 });
    expect(out.size).toBe(5);
    expect(peak).toBe(2);
  });

  test.each([
    [true, 'always'],
    [false, 'never'],
    ['smart', 'smart'],
  ] as const)('gather_facts: %s -> %s', (v, mode) => {
    expect(gatherModeOf(v)).toBe(mode);
  });
});

describe('the real probe on this machine', () => {
  const shells = ['/bin/sh', '/bin/dash', '/bin/bash', '/bin/busybox'].filter((s) => existsSync(s));

  test.each(shells)('%s -c PROBE_SCRIPT parses, exits 0, writes no stderr', (shell) => {
    const argv = shell.endsWith('busybox') ? ['sh', '-c', PROBE_SCRIPT] : ['-c', PROBE_SCRIPT];
    const run = spawnSync(shell, argv, { encoding: 'utf8' });
    expect([run.status, run.stderr]).toEqual([0, '']);
    const f = parseFacts(run.stdout);
    expect(f.hostname).toBe(osHostname());
    expect(f.cpus).toBeGreaterThanOrEqual(1);
    expect(f.memory.totalMb).toBeGreaterThan(0);
    expect(f.kernel).not.toBe('');
    expect(f.interfaces.map((i) => i.name)).toContain('lo');
    expect(Math.abs((f.epoch ?? 0) - Date.now() / 1000)).toBeLessThan(120);
    expect(f.uid).toBe(process.getuid?.() ?? f.uid);
  });

  test('through LocalConnection: one exec, same facts as sh -c', async () => {
    const conn = new LocalConnection('localhost');
    try {
      const f = await gatherFacts(conn);
      expect(f.hostname).toBe(osHostname());
      expect(f.os.id).not.toBe('');
    } finally {
      await conn.close();
    }
  });

  test('without a working `ip`: falls back (ip addr / ifconfig, /proc/net) and still exits 0', () => {
    const normal = parseFacts(execFileSync('/bin/sh', ['-c', PROBE_SCRIPT], { encoding: 'utf8' }));
    const shim = join(dir, 'ip');
    writeFileSync(shim, '#!/bin/sh\necho "ip: not supported" >&2\nexit 1\n');
    chmodSync(shim, 0o755);
    const out = execFileSync('/bin/sh', ['-c', PROBE_SCRIPT], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dir}:${process.env['PATH'] ?? '/usr/bin:/bin'}` },
    });
    expect(out).toContain('@@k3play:ip-addr-full@@');
    const f = parseFacts(out);
    expect(f.interfaces.map((i) => i.name).sort()).toEqual(normal.interfaces.map((i) => i.name).sort());
    // /proc/net/route has no `src`: the address is the interface's first IPv4 address.
    if (normal.defaultIpv4) {
      expect(f.defaultIpv4).toMatchObject({ interface: normal.defaultIpv4.interface, gateway: normal.defaultIpv4.gateway });
    }
    // IPv6 comes back from /proc/net/if_inet6.
    const v6 = (fs: typeof f) => fs.interfaces.flatMap((i) => i.ipv6.map((a) => a.address)).sort();
    expect(v6(f)).toEqual(v6(normal));
  });
});
