/**
 * Waits until a freshly booted bench lab has settled, before anything is timed on it: every full
 * host's systemd reports the boot finished (`systemctl is-system-running --wait`, run inside the
 * container's namespaces with nsenter, so no SSH session of the bench's own shows up in the
 * measurements), then the lab's processes together use almost no CPU for a whole window. A
 * freshly started systemd host keeps running generators, udev/journald flushes and timers for a
 * few seconds; a sub-second k3play run that lands in that window measures the boot, not the
 * tool. Bounded: gives up after `timeoutMs` and says so (the bench then goes on, and logs it).
 * Reads /proc and runs nsenter only; touches only processes of this lab's network namespaces.
 */
import { readFileSync } from 'node:fs';
import type { LabState } from '../src/lab/lab-state.js';
import { runCommand } from '../src/lab/run-command.js';
import { netnsPids } from '../src/lab/process-info.js';

/** Clock ticks per second of /proc/<pid>/stat utime/stime (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

export interface IdleOptions {
  readonly timeoutMs?: number;
  /** Length of the quiet window. */
  readonly windowMs?: number;
  /** The lab's processes may use at most this share of one core over the window. */
  readonly maxCpuShare?: number;
}

export interface IdleResult {
  readonly idle: boolean;
  readonly waitedMs: number;
  /** Full hosts whose systemd did not report running/degraded in time. */
  readonly notBooted: readonly string[];
}

/**
 * Pure: given cumulative CPU tick totals sampled at the given times (ms), is the last
 * `windowMs` quiet, i.e. did the total grow by at most `maxCpuShare` of one core over it?
 * Needs samples spanning the whole window.
 */
export function quietOver(samples: readonly { readonly atMs: number; readonly ticks: number }[], windowMs: number, maxCpuShare: number): boolean {
  const last = samples[samples.length - 1];
  if (!last) return false;
  const first = [...samples].reverse().find((s) => last.atMs - s.atMs >= windowMs);
  if (!first) return false;
  const cpuMs = ((last.ticks - first.ticks) * 1000) / USER_HZ;
  return cpuMs <= maxCpuShare * (last.atMs - first.atMs);
}

/** utime+stime ticks of one process, or null if it has gone. */
function ticksOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Fields after the parenthesised comm (which may contain spaces); utime, stime are 14, 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return null;
  }
}

/**
 * A monotonic CPU counter over a changing set of processes: each call adds what every process
 * still present used since the last call, plus all of what a new process used. (Summing raw
 * totals would drop when a busy process exits and make a busy lab look quiet.)
 */
export class LabCpuCounter {
  #last = new Map<number, number>();
  total = 0;
  sample(pids: readonly number[]): number {
    const next = new Map<number, number>();
    for (const pid of pids) {
      const t = ticksOf(pid);
      if (t === null) continue;
      const before = this.#last.get(pid);
      this.total += before === undefined || t < before ? t : t - before;
      next.set(pid, t);
    }
    this.#last = next;
    return this.total;
  }
}

async function waitBooted(state: LabState, deadline: number): Promise<string[]> {
  const inits = state.resources.filter((r) => r.kind === 'pid' && r.role === 'container-init');
  const late: string[] = [];
  await Promise.all(
    inits.map(async (r) => {
      if (r.kind !== 'pid') return;
      const secs = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
      const out = await runCommand(['timeout', String(secs), 'nsenter', '--target', String(r.pid), '--mount', '--pid', '--', 'systemctl', 'is-system-running', '--wait']);
      // `running`, or `degraded` (a unit failed: still booted, and the bench's own checks catch a broken host).
      if (!/^(running|degraded)\s*$/.test(out.stdout)) late.push(r.host);
    }),
  );
  return late.sort();
}

export async function waitLabIdle(state: LabState, o: IdleOptions = {}): Promise<IdleResult> {
  const t0 = Date.now();
  const deadline = t0 + (o.timeoutMs ?? 20_000);
  const windowMs = o.windowMs ?? 1000;
  const notBooted = await waitBooted(state, deadline);
  const samples: { atMs: number; ticks: number }[] = [];
  const cpu = new LabCpuCounter();
  const labPids = (): number[] => netnsPids(state.hosts.map((h) => h.netns));
  cpu.sample(labPids());
  samples.push({ atMs: Date.now(), ticks: 0 });
  // Re-list pids each round: sessions and timers start and end processes during the wait.
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    const ticks = cpu.sample(labPids());
    samples.push({ atMs: Date.now(), ticks });
    if (quietOver(samples, windowMs, o.maxCpuShare ?? 0.02)) return { idle: notBooted.length === 0, waitedMs: Date.now() - t0, notBooted };
  }
  return { idle: false, waitedMs: Date.now() - t0, notBooted };
}
