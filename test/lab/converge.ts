/**
 * Helpers for converge tests on the shared lab: run a playbook through the real CLI over SSH
 * (strict host key checking with the lab's known_hosts), get its JSON events and recap, and
 * hash a host's files to prove `--check` wrote nothing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LabState } from '../../src/lab/lab-state.js';
import type { HostRecap, HostResultEvent, RunEvent } from '../../src/report/run-event.js';
import { k3play } from '../e2e/cli.js';
import { labSsh } from './shared-lab.js';

export interface LabRun {
  readonly code: number;
  readonly stderr: string;
  readonly events: RunEvent[];
  readonly results: HostResultEvent[];
  readonly recap: Record<string, HostRecap>;
  /** Sum of `changed` over all hosts. */
  readonly changed: number;
  readonly failed: number;
}

export function labInventory(state: LabState): string {
  return path.join(state.dir, 'inventory.ini');
}

/** Runs `k3play run` with the given playbook text against the lab inventory; --json is added. */
export async function runOnLab(
  state: LabState,
  playbook: string,
  opts: { check?: boolean; diff?: boolean; limit?: string; extraVars?: Record<string, string>; files?: Record<string, string> } = {},
): Promise<LabRun> {
  const dir = await mkdtemp(path.join(tmpdir(), 'k3play-lab-pb-'));
  try {
    await writeFile(path.join(dir, 'site.yml'), playbook);
    for (const [name, text] of Object.entries(opts.files ?? {})) {
      await writeFile(path.join(dir, name), text);
    }
    const args = ['run', path.join(dir, 'site.yml'), '-i', labInventory(state), '--json'];
    if (opts.check) args.push('--check');
    if (opts.diff) args.push('--diff');
    if (opts.limit) args.push('--limit', opts.limit);
    for (const [k, v] of Object.entries(opts.extraVars ?? {})) args.push('-e', `${k}=${v}`);
    const r = await k3play(args);
    const events = r.stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as RunEvent);
    const end = events.find((e) => e.type === 'run_end');
    const recap = end && end.type === 'run_end' ? { ...end.recap } : {};
    const values = Object.values(recap);
    return {
      code: r.code,
      stderr: r.stderr,
      events,
      results: events.filter((e): e is HostResultEvent => e.type === 'host_result'),
      recap,
      changed: values.reduce((n, x) => n + x.changed, 0),
      failed: values.reduce((n, x) => n + x.failed + x.unreachable, 0),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
