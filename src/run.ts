/**
 * The pipeline, in one sentence:
 *   load -> validate -> render -> read/plan -> apply -> report
 * Inventory, Playbook -> (per host) RenderedTask -> TaskPlan -> TaskResult -> RunEvent -> RunReport
 */
import { randomUUID } from 'node:crypto';
import { openConnection, type ConnectOptions } from './connection/open-connection.js';
import { executePlaybook } from './execute/execute-playbook.js';
import { defaultFactsCacheDir, FactsCache } from './facts/facts-cache.js';
import type { RunOptions } from './execute/run-options.js';
import { loadInventory } from './inventory/load-inventory.js';
import { loadPlaybook, loadVarsFile } from './playbook/load-playbook.js';
import { createEventBus } from './report/event-bus.js';
import type { Reporter } from './report/run-event.js';
import { validateHostPatterns } from './validate-hosts.js';
import { moduleRegistry } from '../modules/index.js';

export interface RunRequest {
  readonly playbook: string;
  readonly inventories: readonly string[];
  readonly opts: RunOptions;
  readonly connect: ConnectOptions;
}

export async function runPlaybookFile(req: RunRequest, reporters: Reporter[]): Promise<number> {
  const inventory = await loadInventory(req.inventories); //                      load
  const playbook = await loadPlaybook(req.playbook, { modules: moduleRegistry }); // load + validate shape, modules, args
  validateHostPatterns(playbook, inventory, req.opts.limit); //                     validate hosts: and --limit
  const bus = createEventBus(reporters);
  try {
    const { exitCode } = await executePlaybook({
      playbook,
      inventory,
      opts: req.opts,
      emit: bus.emit, //                                                           render -> read/plan -> apply
      modules: moduleRegistry,
      connect: (host, vars) => openConnection(host, vars, req.connect),
      loadVarsFile: async (f) => (await loadVarsFile(f)).vars,
      facts: new FactsCache({
        dir: req.opts.factsCacheDir ?? defaultFactsCacheDir(process.cwd()),
        ...(req.opts.factsTtlSeconds !== undefined ? { ttlSeconds: req.opts.factsTtlSeconds } : {}),
      }),
      runId: randomUUID(),
    });
    return exitCode;
  } finally {
    await req.connect.closeAll?.();
    await bus.finish(); //                                                          report
  }
}
