/**
 * render -> read/plan -> apply for a whole playbook: builds the per-run state (HostRun for
 * every inventory host, the forks limiter), runs the plays in order, and computes the recap
 * and exit code. Emits run_start ... run_end; never prints.
 */
import pLimit from 'p-limit';
import type { Connection } from '../connection/types.js';
import { FactsCache } from '../facts/facts-cache.js';
import { ExitCode, K3playError } from '../errors/k3play-error.js';
import type { SourceLocation } from '../errors/source-location.js';
import { hostVarsPlain } from '../inventory/host-vars.js';
import { selectHosts } from '../inventory/host-pattern.js';
import type { Inventory } from '../inventory/types.js';
import type { ModuleDef } from '../module-api/types.js';
import type { Play, Playbook } from '../playbook/types.js';
import type { HostRecap, RunEvent } from '../report/run-event.js';
import { HostRun } from './host-run.js';
import { renderPlayPattern, runPlay } from './play-runner.js';
import type { RunContext } from './run-context.js';
import type { RunOptions } from './run-options.js';
import path from 'node:path';

export interface ExecuteInput {
  readonly playbook: Playbook;
  readonly inventory: Inventory;
  readonly opts: RunOptions;
  readonly emit: (e: RunEvent) => void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly modules: ReadonlyMap<string, ModuleDef<any, any>>;
  /** Opens (or returns the already open) connection for a host. */
  readonly connect: (host: string, vars: Record<string, unknown>) => Promise<Connection>;
  /** Loads a play's vars_files (relative to the playbook). */
  readonly loadVarsFile: (file: string) => Promise<Record<string, unknown>>;
  /** Facts cache for the run (default: per-run only, no persistent directory). */
  readonly facts?: FactsCache;
  readonly runId: string;
}

export interface ExecuteOutput {
  readonly recap: Record<string, HostRecap>;
  readonly exitCode: number;
}

export async function executePlaybook(input: ExecuteInput): Promise<ExecuteOutput> {
  const started = Date.now();
  const { inventory, opts, emit } = input;
  const hosts = new Map<string, HostRun>();
  for (const name of inventory.hosts.keys()) hosts.set(name, new HostRun(name, hostVarsPlain(inventory, name)));
  const groups: Record<string, string[]> = {};
  for (const g of inventory.groups.keys()) groups[g] = selectHosts(inventory, g).hosts;

  const run: RunContext = {
    opts,
    emit,
    modules: input.modules,
    inventory,
    hosts,
    groups,
    connect: async (h) => {
      // -e wins for connection variables too (ansible_become_password=..., ansible_user=...).
      if (!h.conn) h.conn = await input.connect(h.name, { ...h.hostScope(), ...opts.extraVars });
      return h.conn;
    },
    limit: pLimit(Math.max(1, opts.forks)),
    tagSel: { only: opts.tags, skip: opts.skipTags },
    playbookDir: path.dirname(path.resolve(input.playbook.file)),
    facts: input.facts ?? new FactsCache(),
    stopRun: false,
  };

  emit({ type: 'run_start', runId: input.runId, playbook: input.playbook.file, check: opts.check, diff: opts.diff, time: new Date(started).toISOString() });
  const touched = new Set<string>();
  for (const play of input.playbook.plays) {
    if (run.stopRun || opts.abort?.aborted) break;
    const names = playHosts(play, inventory, opts);
    for (const n of names) touched.add(n);
    if (names.length === 0) {
      emit({ type: 'warning', message: `play "${play.name}": no hosts matched "${play.hosts}"${opts.limit ? ` with --limit ${opts.limit}` : ''}; skipping` });
      continue;
    }
    const playVars = { ...play.vars };
    for (const f of play.varsFiles) Object.assign(playVars, await input.loadVarsFile(f));
    await runPlay(play, names, playVars, run);
  }

  const recap: Record<string, HostRecap> = {};
  for (const name of touched) recap[name] = hosts.get(name)!.recap;
  const values = Object.values(recap);
  const exitCode = opts.abort?.aborted
    ? ExitCode.interrupted
    : values.some((r) => r.failed > 0)
      ? ExitCode.hostFailed
      : values.some((r) => r.unreachable > 0)
        ? ExitCode.unreachable
        : ExitCode.ok;
  await Promise.all([...hosts.values()].map((h) => h.conn?.close().catch(() => {})));
  emit({ type: 'run_end', recap, durationMs: Date.now() - started, exitCode });
  return { recap, exitCode };
}

function playHosts(play: Play, inventory: Inventory, opts: RunOptions): string[] {
  return patternHosts(renderPlayPattern(play, opts.extraVars), inventory, opts.limit, play.loc);
}

/** The hosts a (rendered) play pattern selects, narrowed by --limit; a bad pattern throws. */
export function patternHosts(pattern: string, inventory: Inventory, limit: string | undefined, loc: SourceLocation): string[] {
  const sel = selectHosts(inventory, pattern);
  if (sel.problems.length > 0) throw new K3playError(sel.problems.map((p) => ({ ...p, loc: p.loc ?? loc })));
  if (!limit) return [...sel.hosts];
  const lim = new Set(selectHosts(inventory, limit).hosts);
  return sel.hosts.filter((h) => lim.has(h));
}
