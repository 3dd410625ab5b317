/**
 * The processes of a bench lab: every process in one of its hosts' network namespaces (systemd
 * and its services on full hosts, sshd and its sessions on light hosts), found by the namespace's
 * inode in /proc, as `ip netns pids` does, but without spawning anything, so the idle wait can
 * sample it every 200 ms without disturbing what it measures. Pids are a snapshot.
 */
import { readdirSync, readlinkSync, statSync } from 'node:fs';
import type { LabState } from '../src/lab/lab-state.js';

/** Pids of every process in one of the lab's network namespaces, from /proc (no process spawns). */
export function labPids(state: LabState): string[] {
  const inodes = new Set<string>();
  for (const h of state.hosts) {
    try {
      inodes.add(`net:[${statSync(`/run/netns/${h.netns}`).ino}]`);
    } catch {
      // namespace already gone: nothing of it to wait for
    }
  }
  const pids: string[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (inodes.has(readlinkSync(`/proc/${e}/ns/net`))) pids.push(e);
    } catch {
      // exited, or a kernel thread
    }
  }
  return pids;
}
