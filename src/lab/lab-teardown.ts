/**
 * Tears a lab down from its state file alone, then verifies nothing is left. Order: SIGTERM to
 * nspawn (powers the container off) and to light-host inits, wait, SIGKILL what remains (only
 * recorded pids whose start time and command still match), kill any pid still inside the lab's
 * netns, unmount deepest first, delete netns, links, bridge, restore sysctls, remove the dir.
 * Idempotent: every step tolerates a resource that is already gone. Never touches anything
 * that is not recorded in the state (or inside a recorded netns / under the lab dir).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { K3playError, ExitCode } from '../errors/k3play-error.js';
import type { LabResource, LabState } from './lab-state.js';
import { childrenOf, isAlive, isSameProcess, netnsPids, pidNamespace, procIdentity } from './process-info.js';
import { mountsUnder, unmountUnder, mountPoints } from './mount-table.js';
import { runCommand } from './run-command.js';
import { removeTree } from './base-image.js';

type Of<K extends LabResource['kind']> = Extract<LabResource, { kind: K }>;

function ofKind<K extends LabResource['kind']>(state: LabState, kind: K): Of<K>[] {
  return state.resources.filter((r): r is Of<K> => r.kind === kind);
}

export interface Leftovers {
  readonly pids: number[];
  readonly netns: string[];
  readonly links: string[];
  readonly mounts: string[];
}

export async function teardownLab(state: LabState, log: (msg: string) => void = () => undefined): Promise<void> {
  const started = Date.now();
  const pids = ofKind(state, 'pid');
  const mine = pids.filter((p) => isSameProcess(p.pid, p.startTime, p.cmdline));
  const nspawn = mine.filter((p) => p.role === 'nspawn' || (p.role === undefined && p.cmdline[0] === 'systemd-nspawn'));
  // A container whose PID 1 was not recorded yet (crash right after the spawn) is found as
  // the nspawn's child in another pid namespace: ours, because its parent is.
  const myPidNs = pidNamespace(process.pid);
  const orphans = nspawn
    .flatMap((p) => childrenOf(p.pid))
    .filter((c) => pidNamespace(c) !== myPidNs)
    .map((c) => procIdentity(c))
    .filter((c): c is NonNullable<typeof c> => c !== null);
  // nspawn powers its container off on SIGTERM; unshare --fork ignores SIGTERM, and SIGKILL
  // is fine for it: --kill-child takes the light host's pid namespace (sshd) down with it.
  signal(nspawn.map((p) => p.pid), 'SIGTERM');
  signal(mine.filter((p) => p.role === 'light-init').map((p) => p.pid), 'SIGKILL');
  await waitGone(mine, 15_000);
  const slow = mine.filter((p) => isAlive(p.pid, p.startTime));
  if (slow.length > 0) log(`still running after 15 s, killing: ${slow.map((p) => `${p.host} (${p.role} ${p.pid})`).join(', ')}`);
  signal(mine.filter((p) => isAlive(p.pid, p.startTime)).map((p) => p.pid), 'SIGKILL');
  signal(orphans.filter((o) => isAlive(o.pid, o.startTime)).map((o) => o.pid), 'SIGKILL');
  await waitGone([...mine, ...orphans], 5_000);

  const netns = [...new Set(ofKind(state, 'netns').map((n) => n.name))];
  for (let round = 0; round < 3; round++) {
    const inside = netnsPids(netns).filter((p) => p !== process.pid);
    if (inside.length === 0) break;
    signal(inside, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
  }

  // Never unmount (lazily) or delete a root that a live process of ours still runs in.
  const alive = [...pids, ...orphans].filter((p) => isAlive(p.pid, p.startTime)).map((p) => p.pid);
  if (alive.length > 0) throw leftoverError(state, { pids: alive, netns: [], links: [], mounts: [] });

  const mounts = [...new Set(ofKind(state, 'mount').map((m) => m.target))].sort((a, b) => b.length - a.length);
  for (const m of mounts) await unmountUnder(m);
  await unmountUnder(state.dir);

  for (const n of netns) if (existsSync(`/run/netns/${n}`)) await runCommand(['ip', 'netns', 'delete', n]);
  for (const l of ofKind(state, 'link')) if (await linkExists(l.name)) await runCommand(['ip', 'link', 'delete', l.name]);
  for (const b of ofKind(state, 'bridge')) if (await linkExists(b.name)) await runCommand(['ip', 'link', 'delete', b.name]);
  for (const s of ofKind(state, 'sysctl').reverse()) restoreSysctl(s.key, s.old, s.set);

  const left = await findLeftovers(state);
  const total = left.pids.length + left.netns.length + left.links.length + left.mounts.length;
  if (total > 0) throw leftoverError(state, left);
  await removeTree(state.dir);
  log(`lab ${state.name} removed in ${Date.now() - started} ms`);
}

function leftoverError(state: LabState, left: Leftovers): K3playError {
  return new K3playError(
    {
      context: `lab ${state.name}`,
      message: `teardown left resources behind: ${JSON.stringify(left)}`,
      hint: `inspect them (ps, ip netns list, ip link, /proc/mounts); the state file ${state.dir}/lab.json is kept so labDown can retry`,
    },
    ExitCode.internal,
  );
}

/** What of this lab still exists on the machine. */
export async function findLeftovers(state: LabState): Promise<Leftovers> {
  const pids = ofKind(state, 'pid').filter((p) => isAlive(p.pid, p.startTime)).map((p) => p.pid);
  const netns = [...new Set(ofKind(state, 'netns').map((n) => n.name))].filter((n) => existsSync(`/run/netns/${n}`));
  const links: string[] = [];
  for (const l of [...ofKind(state, 'link'), ...ofKind(state, 'bridge')]) if (await linkExists(l.name)) links.push(l.name);
  const recorded = new Set(ofKind(state, 'mount').map((m) => m.target));
  const mounts = mountPoints().filter((m) => recorded.has(m)).concat(mountsUnder(state.dir).filter((m) => !recorded.has(m)));
  return { pids, netns, links, mounts };
}

function signal(pids: readonly number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

async function waitGone(pids: readonly { pid: number; startTime: string }[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && pids.some((p) => isAlive(p.pid, p.startTime))) await new Promise((r) => setTimeout(r, 100));
}

export async function linkExists(name: string): Promise<boolean> {
  return existsSync(`/sys/class/net/${name}`);
}

function sysctlPath(key: string): string {
  return `/proc/sys/${key.replace(/\./g, '/')}`;
}

export function readSysctl(key: string): string {
  return readFileSync(sysctlPath(key), 'utf8').trim();
}

export function writeSysctl(key: string, value: string): void {
  writeFileSync(sysctlPath(key), `${value}\n`);
}

/**
 * Gives back what this lab added (it raised `old` to `set`), whatever other labs did since: labs
 * on one machine come and go in any order, and each takes away only its own increment. A
 * non-numeric value is restored only when it is still exactly what we set.
 */
function restoreSysctl(key: string, old: string, set: string): void {
  try {
    const now = readSysctl(key);
    const added = Number(set) - Number(old);
    if (Number.isInteger(added) && added > 0 && Number.isInteger(Number(now))) writeSysctl(key, String(Math.max(Number(now) - added, 1)));
    else if (now === set) writeSysctl(key, old);
  } catch {
    // best effort: the key vanished or is read-only; nothing of ours to restore
  }
}
