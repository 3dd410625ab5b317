/**
 * Helpers for the transport/fault/fan-out acceptance tests: run the real CLI (--json) against
 * ANY inventory file (a modified copy of the lab's), write such copies (other known_hosts,
 * per-host vars), and run commands inside a lab host's network namespace from the controller.
 * Copies live in temp dirs the caller removes; nothing here changes the shared hosts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LabHost, LabState } from '../../src/lab/lab-state.js';
import type { HostRecap, HostResultEvent, RunEvent } from '../../src/report/run-event.js';
import { k3play } from '../e2e/cli.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly events: RunEvent[];
  readonly results: HostResultEvent[];
  readonly recap: Record<string, HostRecap>;
  readonly changed: number;
  /** failed + unreachable over all hosts. */
  readonly failed: number;
  readonly wallMs: number;
  /** The run journal(s) the CLI wrote (.k3play/runs/*.jsonl under its cwd), to grep for secrets. */
  readonly journal: string;
}

/** `k3play run site.yml -i INVENTORY --json ...args`; `files` are written beside site.yml. */
export async function runWithInventory(
  inventory: string,
  playbook: string,
  opts: { args?: readonly string[]; files?: Record<string, string> } = {},
): Promise<CliRun> {
  const dir = await mkdtemp(path.join(tmpdir(), 'k3play-acc-pb-'));
  try {
    await writeFile(path.join(dir, 'site.yml'), playbook);
    for (const [name, text] of Object.entries(opts.files ?? {})) await writeFile(path.join(dir, name), text);
    return await runPlaybookFile(inventory, path.join(dir, 'site.yml'), { ...(opts.args ? { args: opts.args } : {}), cwd: dir });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `k3play run PLAYBOOK -i INVENTORY --json ...args` in `cwd` (where .k3play/ state such as the journal goes). */
export function runPlaybookFile(inventory: string, playbookFile: string, opts: { args?: readonly string[]; cwd: string }): Promise<CliRun> {
  return runCli(['run', playbookFile, '-i', inventory, ...(opts.args ?? [])], opts.cwd);
}

/** `k3play run PLAYBOOK -i INV1 -i INV2 ... --json ...args` for a playbook of the repository, in a scratch cwd. */
export async function runRepoPlaybook(playbook: string, inventories: readonly string[], args: readonly string[] = []): Promise<CliRun> {
  const dir = await mkdtemp(path.join(tmpdir(), 'k3play-acc-run-'));
  try {
    return await runCli(['run', playbook, ...inventories.flatMap((i) => ['-i', i]), ...args], dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs the CLI with --json in `cwd` and parses its events, recap and run journal. */
async function runCli(args: readonly string[], cwd: string): Promise<CliRun> {
  const t0 = Date.now();
  const r = await k3play([...args, '--json'], { cwd });
  const wallMs = Date.now() - t0;
  const events = r.stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as RunEvent);
  const end = events.find((e) => e.type === 'run_end');
  const recap = end && end.type === 'run_end' ? { ...end.recap } : {};
  const values = Object.values(recap);
  const runs = path.join(cwd, '.k3play', 'runs');
  const journals = await readdir(runs).catch(() => [] as string[]);
  const journal = (await Promise.all(journals.map((f) => readFile(path.join(runs, f), 'utf8')))).join('');
  return {
    journal,
    code: r.code,
    stdout: r.stdout,
    stderr: r.stderr,
    events,
    results: events.filter((e): e is HostResultEvent => e.type === 'host_result'),
    recap,
    changed: values.reduce((n, x) => n + x.changed, 0),
    failed: values.reduce((n, x) => n + x.failed + x.unreachable, 0),
    wallMs,
  };
}

export interface InventoryEdit {
  /** Replaces the [all:vars] ansible_ssh_common_args (the lab's points at its known_hosts). */
  readonly commonArgs?: string;
  /** Extra `key=value` words appended to a host's line in [lab_full]/[light]. */
  readonly hostVars?: Readonly<Record<string, string>>;
}

/** Writes an edited copy of the lab inventory as DIR/inventory.ini and returns its path. */
export async function writeInventoryCopy(state: LabState, dir: string, edit: InventoryEdit): Promise<string> {
  let text = await readFile(state.inventoryFile, 'utf8');
  if (edit.commonArgs !== undefined) {
    text = text.replace(/^ansible_ssh_common_args=.*$/m, `ansible_ssh_common_args="${edit.commonArgs}"`);
  }
  for (const [host, vars] of Object.entries(edit.hostVars ?? {})) {
    const re = new RegExp(`^(${host} ansible_host=\\S+)$`, 'm');
    if (!re.test(text)) throw new Error(`host line of ${host} not found in ${state.inventoryFile}`);
    text = text.replace(re, `$1 ${vars}`);
  }
  const file = path.join(dir, 'inventory.ini');
  await writeFile(file, text);
  return file;
}

export function labHost(state: LabState, name: string): LabHost {
  const h = state.hosts.find((x) => x.name === name);
  if (!h) throw new Error(`no lab host ${name}`);
  return h;
}

export interface ProcResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(argv: readonly string[], timeoutMs = 30_000): Promise<ProcResult> {
  return new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 255) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `ip netns exec <host's netns> argv...` on the controller (root). */
export function inHostNetns(state: LabState, host: string, argv: readonly string[]): Promise<ProcResult> {
  return run(['ip', 'netns', 'exec', labHost(state, host).netns, ...argv]);
}

/** Per-host "what changed / failed" summary for readable assertion diffs. */
export function recapSummary(r: CliRun): Record<string, string> {
  return Object.fromEntries(
    Object.entries(r.recap).map(([h, x]) => [h, `ok=${x.ok} changed=${x.changed} failed=${x.failed} unreachable=${x.unreachable}`]),
  );
}
