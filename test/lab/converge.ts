/**
 * Helpers for converge tests on the shared lab: run a playbook through the real CLI over SSH
 * (strict host key checking with the lab's known_hosts), get its JSON events and recap, and
 * hash a host's files to prove `--check` wrote nothing.
 */
import path from 'node:path';
import { expect } from 'vitest';
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

/** "host/task" of every changed result, sorted: what a --check run must predict of the real run. */
export function changedTasks(r: LabRun): string[] {
  return r.results.filter((x) => x.status === 'changed').map((x) => `${x.host}/${x.task}`).sort();
}

/**
 * The converge test of a text-editing module (lineinfile, blockinfile, replace) on h1 and h2:
 * seed `path` with `seed`; --check must change nothing on h1 (file hash) yet predict changes;
 * the real run must change exactly what --check predicted and leave exactly `expected` on both
 * hosts; a second run must change nothing. The caller removes `dir` in afterAll.
 */
export async function expectSeededEditConverges(
  state: LabState,
  t: { dir: string; path: string; seed: string; play: string; expected: string },
): Promise<void> {
  const hosts = ['h1', 'h2'];
  const seed = Buffer.from(t.seed).toString('base64');
  await Promise.all(hosts.map((h) => labSsh(state, h, `mkdir -p ${t.dir} && echo ${seed} | base64 -d > ${t.path}`)));
  const before = await hashHostFiles(state, 'h1');
  const check = await runOnLab(state, t.play, { check: true, diff: true });
  expect(check.failed, JSON.stringify(check.results)).toBe(0);
  expect(check.changed).toBeGreaterThan(0);
  expect(await hashHostFiles(state, 'h1')).toBe(before);

  const first = await runOnLab(state, t.play, { diff: true });
  expect(first.failed, JSON.stringify(first.results)).toBe(0);
  expect(changedTasks(first)).toEqual(changedTasks(check));
  for (const h of hosts) {
    const got = await labSsh(state, h, `base64 -w0 ${t.path}`);
    expect(Buffer.from(got.stdout, 'base64').toString()).toBe(t.expected);
  }

  const second = await runOnLab(state, t.play);
  expect(second.failed).toBe(0);
  expect(second.changed).toBe(0);
}
