/**
 * Lab integration tests on real hosts: the shared lab (5 full + 30 light) answers ssh with the
 * generated host keys, full hosts boot systemd to running, labIp moves an address; separate
 * small labs check that labDown leaves nothing behind and that a crashed up is cleaned by the
 * next labUp. Skipped with a message when not root / not Linux / K3PLAY_SKIP_LAB=1.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import pLimit from 'p-limit';
import { afterAll, describe, expect, it } from 'vitest';
import { labDown, labIp, labStatus, labUp, type LabState } from '../../src/lab/lab.js';
import { isAlive } from '../../src/lab/process-info.js';
import { sshBanner } from '../../src/lab/wait-ssh.js';
import { getSharedLab, labSsh, sharedLabSkipReason, sharedLabState } from './shared-lab.js';
import { labSkipReason } from './lab-guard.js';
import { testLabName } from './shared-lab-config.js';

const sharedSkip = sharedLabSkipReason();
if (sharedSkip) console.warn(sharedSkip);

describe.skipIf(sharedSkip !== null)('shared lab (5 full + 30 light)', () => {
  it('reports how long it took to come up', () => {
    const info = getSharedLab();
    if (!('skip' in info)) console.log(`lab up ${info.upMs} ms; base build ${info.baseBuildMs ?? 'cached'} ms`);
  });

  it('every host answers ssh with its generated host key (strict checking)', async () => {
    const state = sharedLabState();
    expect(state.hosts.filter((h) => h.kind === 'full')).toHaveLength(5);
    expect(state.hosts.filter((h) => h.kind === 'light')).toHaveLength(30);
    const limit = pLimit(12);
    const results = await Promise.all(state.hosts.map((h) => limit(async () => ({ h: h.name, r: await labSsh(state, h.name, 'hostname') }))));
    for (const { h, r } of results) expect({ h, code: r.code, out: r.stdout.trim() }).toEqual({ h, code: 0, out: h });
  }, 120_000);

  it('full hosts run systemd to running (or degraded); etcd/haproxy/keepalived are not enabled', async () => {
    const state = sharedLabState();
    for (const h of state.hosts.filter((x) => x.kind === 'full')) {
      const r = await labSsh(state, h.name, 'systemctl is-system-running --wait; systemctl is-enabled etcd haproxy keepalived || true');
      const [status, ...enabled] = r.stdout.trim().split('\n');
      expect([h.name, status]).toSatisfy(([, s]) => s === 'running' || s === 'degraded');
      expect(enabled).toEqual(['disabled', 'disabled', 'disabled']);
    }
  }, 120_000);

  it("full hosts keep root's user manager between logins (its stop can hang a container's logins for ~2 min)", async () => {
    const state = sharedLabState();
    const r = await labSsh(state, 'h1', 'systemd-analyze cat-config systemd/logind.conf | grep -x "UserStopDelaySec=infinity"');
    expect(r.stdout.trim(), r.stderr).toBe('UserStopDelaySec=infinity');
  });

  it.each([
    { host: 'h1', proc1: 'systemd' },
    { host: 'l1', proc1: 'sshd' },
  ])('$host: no route out of the lab, net sysctls writable, vm.* read-only', async ({ host, proc1 }) => {
    const state = sharedLabState();
    const r = await labSsh(
      state,
      host,
      'cat /proc/1/comm; ip route show default | wc -l; sysctl -qw net.ipv4.ip_forward=1 && echo net-rw; echo 1 2>/dev/null > /proc/sys/vm/swappiness || echo vm-ro',
    );
    expect(r.stdout.trim().split('\n')).toEqual([proc1, '0', 'net-rw', 'vm-ro']);
  });

  it.each([
    { host: 'h5', to: 60 },
    { host: 'l30', to: 61 },
  ])('labIp moves $host to .0.$to; ssh reaches the new address, not the old', async ({ host, to }) => {
    const state = sharedLabState();
    const ref = { name: state.name, stateDir: join(state.dir, '..') };
    const old = state.hosts.find((h) => h.name === host)!.ip;
    const moved = await labIp(ref, host, `${state.net}.0.${to}`);
    try {
      expect(moved.hosts.find((h) => h.name === host)!.ip).toBe(`${state.net}.0.${to}`);
      expect(readFileSync(moved.inventoryFile, 'utf8')).toContain(`${host} ansible_host=${state.net}.0.${to}`);
      const r = await labSsh(moved, host, 'hostname; ip -4 -o addr show eth0');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`${state.net}.0.${to}/`);
      expect(await sshBanner(old, 1_500)).toBeNull();
    } finally {
      await labIp(ref, host, old);
    }
    expect((await labSsh(state, host, 'hostname')).stdout.trim()).toBe(host);
  }, 60_000);
});

/** Everything of a lab that could be left on the machine. */
function traces(state: LabState): { netns: string[]; links: string[]; mounts: string[]; pids: number[]; dir: boolean } {
  const netns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n.startsWith(`k3pl-${state.name}-`));
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(': ')[1]?.split('@')[0] ?? '')
    .filter((n) => n === state.bridge || n.startsWith(`${state.name}-`) || n.startsWith(`vb-${state.name}-`));
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .filter((l) => l.includes(state.dir));
  const pids = state.resources.flatMap((r) => (r.kind === 'pid' && isAlive(r.pid, r.startTime) ? [r.pid] : []));
  return { netns, links, mounts, pids, dir: existsSync(state.dir) };
}

const NOTHING = { netns: [], links: [], mounts: [], pids: [], dir: false };

describe.skipIf(labSkipReason() !== null)('lab lifecycle (own small labs)', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'k3play-lab-test-'));
  afterAll(async () => {
    for (const name of ['life', 'crash']) await labDown({ name, stateDir }).catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('labDown removes everything, verifies it, and a second labDown is a no-op', async () => {
    const state = await labUp({ name: testLabName('life'), full: 2, light: 5, stateDir, log: () => undefined });
    expect(traces(state).netns).toHaveLength(7);
    expect((await labStatus({ name: testLabName('life'), stateDir }))?.hosts.every((h) => h.running)).toBe(true);
    const t0 = Date.now();
    await labDown(state);
    console.log(`small lab down ${Date.now() - t0} ms`);
    expect(traces(state)).toEqual(NOTHING);
    await labDown({ name: testLabName('life'), stateDir });
    expect(await labStatus({ name: testLabName('life'), stateDir })).toBeNull();
  }, 120_000);

  it('a crashed up (state dropped in memory) is detected and cleaned by the next labUp', async () => {
    const first = await labUp({ name: testLabName('crash'), full: 2, light: 5, stateDir, log: () => undefined });
    const firstPids = first.resources.flatMap((r) => (r.kind === 'pid' ? [r] : []));
    const logs: string[] = [];
    const second = await labUp({ name: testLabName('crash'), full: 2, light: 5, stateDir, log: (m) => logs.push(m) });
    expect(logs.some((m) => m.startsWith('stale lab detected, cleaning'))).toBe(true);
    expect(firstPids.filter((p) => isAlive(p.pid, p.startTime))).toEqual([]);
    expect((await labSsh(second, 'h2', 'hostname')).stdout.trim()).toBe('h2');
    await labDown(second);
    expect(traces(second)).toEqual(NOTHING);
    expect(traces(first)).toEqual(NOTHING);
  }, 180_000);
});
