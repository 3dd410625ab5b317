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
  // Inventory and playbook load side by side; once both the inventory and the playbook's first
  // play are read, that play's connections start opening (warm-up) while validation goes on.
  // An inventory problem is still the one reported when both files have problems.
  const { warm } = req.connect;
  const inventoryLoad = loadInventory(req.inventories); //                         load
  const playbookLoad = loadPlaybook(req.playbook, {
    modules: moduleRegistry, //                                                     load + validate shape, modules, args
    ...(warm ? { onFirstPlay: (entry: unknown) => void inventoryLoad.then((inv) => warmFirstPlay(entry, inv, req.opts, warm), () => undefined) } : {}),
  });
  playbookLoad.catch(() => undefined); // awaited below, after the inventory
  try {
    const inventory = await inventoryLoad;
    const playbook = await playbookLoad;
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
