/**
 * The pipeline, in one sentence:
 *   load -> validate -> render -> read/plan -> apply -> report
 * Inventory, Playbook -> (per host) RenderedTask -> TaskPlan -> TaskResult -> RunEvent -> RunReport
 */
import { randomUUID } from 'node:crypto';
import { openConnection, type ConnectOptions } from './connection/open-connection.js';
import { executePlaybook, type ExecuteOutput } from './execute/execute-playbook.js';
import { defaultFactsCacheDir, FactsCache } from './facts/facts-cache.js';
import type { RunOptions } from './execute/run-options.js';
import { loadInventory } from './inventory/load-inventory.js';
import type { Inventory } from './inventory/types.js';
import { loadPlaybook, loadVarsFile } from './playbook/load-playbook.js';
import type { Playbook } from './playbook/types.js';
import { createEventBus } from './report/event-bus.js';
import type { Reporter, RunEvent } from './report/run-event.js';
import { validateHostPatterns } from './validate-hosts.js';
import { warmFirstPlay } from './warm-connections.js';
import { moduleRegistry } from '../modules/index.js';

export interface RunRequest {
  readonly playbook: string;
  readonly inventories: readonly string[];
  readonly opts: RunOptions;
  readonly connect: ConnectOptions;
}

export async function runPlaybookFile(req: RunRequest, reporters: Reporter[]): Promise<number> {
  // The inventory first, then the playbook: once the playbook's first play is parsed, that
  // play's connections start opening (warm-up) while the rest of the playbook validates. Side by
  // side, the playbook's YAML parse (synchronous, the longer one) held up the inventory's file
  // reads and with them the warm-up; one after the other they finish sooner. An inventory problem
  // is still the one reported when both files have problems.
  const { warm } = req.connect;
  try {
    const inventory = await loadInventory(req.inventories); //                     load
    const playbook = await loadPlaybook(req.playbook, {
      modules: moduleRegistry, //                                                   load + validate shape, modules, args
      ...(warm ? { onFirstPlay: (entry: unknown) => warmFirstPlay(entry, inventory, req.opts, warm) } : {}),
    });
    validateHostPatterns(playbook, inventory, req.opts.limit); //                   validate hosts: and --limit
    const bus = createEventBus(reporters);
    try {
      const { exitCode } = await runLoaded({ playbook, inventory, opts: req.opts, connect: req.connect, emit: bus.emit });
      return exitCode;
    } finally {
      await bus.finish(); //                                                        report
    }
  } finally {
    await req.connect.closeAll?.();
  }
}

export interface LoadedRun {
  readonly playbook: Playbook;
  readonly inventory: Inventory;
  readonly opts: RunOptions;
  readonly connect: ConnectOptions;
  readonly emit: (e: RunEvent) => void;
}

/** render -> read/plan -> apply of a loaded, validated playbook (one site of a rollout, too). */
export function runLoaded(r: LoadedRun): Promise<ExecuteOutput> {
  return executePlaybook({
    playbook: r.playbook,
    inventory: r.inventory,
    opts: r.opts,
    emit: r.emit,
    modules: moduleRegistry,
    connect: (host, vars) => openConnection(host, vars, r.connect),
    loadVarsFile: async (f) => (await loadVarsFile(f)).vars,
    facts: new FactsCache({
      dir: r.opts.factsCacheDir ?? defaultFactsCacheDir(process.cwd()),
      ...(r.opts.factsTtlSeconds !== undefined ? { ttlSeconds: r.opts.factsTtlSeconds } : {}),
    }),
    runId: randomUUID(),
  });
}
