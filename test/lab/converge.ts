/**
 * Helpers for converge tests on the shared lab: run a playbook through the real CLI over SSH
 * (strict host key checking with the lab's known_hosts), get its JSON events and recap, and
 * hash a host's files to prove `--check` wrote nothing.
 */
import path from 'node:path';
import type { LabState } from '../../src/lab/lab-state.js';
import { runWithInventory, type CliRun } from './lab-run.js';
import { labSsh } from './shared-lab.js';

export type LabRun = CliRun;

export function labInventory(state: LabState): string {
  return path.join(state.dir, 'inventory.ini');
}

/** Runs `k3play run` with the given playbook text against the lab inventory (see runWithInventory). */
export async function runOnLab(
  state: LabState,
  playbook: string,
  opts: { check?: boolean; diff?: boolean; limit?: string; extraVars?: Record<string, string>; files?: Record<string, string> } = {},
): Promise<LabRun> {
  const args: string[] = [];
  if (opts.check) args.push('--check');
  if (opts.diff) args.push('--diff');
  if (opts.limit) args.push('--limit', opts.limit);
  for (const [k, v] of Object.entries(opts.extraVars ?? {})) args.push('-e', `${k}=${v}`);
  return runWithInventory(labInventory(state), playbook, { args, ...(opts.files ? { files: opts.files } : {}) });
}

/**
 * One hash over path, type, mode, owner, size and content of every file under `paths` on a
 * host (default /etc /var/lib /usr/local), ignoring what changes by itself (journal, logs).
 */
export async function hashHostFiles(state: LabState, host: string, paths: readonly string[] = ['/etc', '/var/lib', '/usr/local']): Promise<string> {
  const script =
    `find ${paths.join(' ')} -xdev \\( -path /var/lib/systemd/timers -o -path /var/lib/systemd/random-seed -o -path /var/log -o -path /var/lib/apt/lists \\) -prune -o ` +
    `\\( -type f -o -type l -o -type d \\) -printf '%p %y %m %u %g %s %l\\n' 2>/dev/null | sort | sha256sum; ` +
    `find ${paths.join(' ')} -xdev \\( -path /var/lib/systemd -o -path /var/log -o -path /var/lib/apt/lists \\) -prune -o -type f -print0 2>/dev/null | sort -z | xargs -0 sha256sum 2>/dev/null | sha256sum`;
  const r = await labSsh(state, host, script);
  if (r.code !== 0) throw new Error(`hashing files on ${host} failed: ${r.stderr}`);
  return r.stdout.replace(/\s+-\s*/g, ' ').trim();
}
