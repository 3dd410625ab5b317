/**
 * Identity of a process as /proc shows it: start time (field 22 of stat) and command line.
 * A recorded pid is signalled only when both still match, so a recycled pid of an unrelated
 * process is never killed. Reads only.
 */
import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';

export interface ProcIdentity {
  readonly pid: number;
  readonly ppid: number;
  readonly startTime: string;
  readonly cmdline: string[];
}

export function procIdentity(pid: number): ProcIdentity | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state); field 4 = ppid, field 22 = starttime.
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((s) => s !== '');
    return { pid, ppid: Number(rest[1]), startTime: rest[19] ?? '', cmdline };
  } catch {
    return null;
  }
}

/** True when `pid` is alive and is still the process we recorded. */
export function isSameProcess(pid: number, startTime: string, cmdline: readonly string[]): boolean {
  const now = procIdentity(pid);
  if (now === null || now.startTime !== startTime) return false;
  // A zombie has an empty cmdline; it is still ours (start time matched). A program that
  // execs another from its argv (`ip netns exec NS unshare ...`) is still ours too.
  // A child of ours that has not exec'd yet still shows our own command line.
  if (now.cmdline.length === 0 || now.ppid === process.pid) return true;
  const base = (s: string) => s.split('/').pop() ?? s;
  const current = base(now.cmdline[0]!);
  return cmdline.some((a) => base(a) === current);
}

export function isAlive(pid: number, startTime: string): boolean {
  const now = procIdentity(pid);
  return now !== null && now.startTime === startTime;
}

export function childrenOf(ppid: number): number[] {
  const out: number[] = [];
  for (const n of readdirSync('/proc')) {
    if (!/^\d+$/.test(n)) continue;
    const id = procIdentity(Number(n));
    if (id && id.ppid === ppid) out.push(id.pid);
  }
  return out;
}

export function pidNamespace(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return null;
  }
}

/**
 * Pids of every process in one of the named network namespaces (`ip netns` names), found from
 * /proc by the namespace's inode as `ip netns pids` does, without spawning anything (the bench
 * samples a lab's processes every 200 ms). A namespace that is already gone has none. A snapshot.
 */
export function netnsPids(names: readonly string[]): number[] {
  const inodes = new Set<string>();
  for (const n of names) {
    try {
      inodes.add(`net:[${statSync(`/run/netns/${n}`).ino}]`);
    } catch {
      // already deleted
    }
  }
  if (inodes.size === 0) return [];
  const pids: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (inodes.has(readlinkSync(`/proc/${e}/ns/net`))) pids.push(Number(e));
    } catch {
      // exited, or a kernel thread
    }
  }
  return pids;
}
