/**
 * Test harness for playbook-language cases: writes a playbook (and optional task files) plus an
 * INI inventory to a temp dir, runs the real pipeline in-process with every host on the local
 * connection, and returns the events, recap and exit code. Hosts are distinguished by
 * inventory_hostname only; commands really run (in the temp dir).
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalConnection } from '../../src/connection/local-connection.js';
import type { Connection } from '../../src/connection/types.js';
import { executePlaybook } from '../../src/execute/execute-playbook.js';
import type { RunOptions } from '../../src/execute/run-options.js';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import { loadPlaybook, loadVarsFile } from '../../src/playbook/load-playbook.js';
import { createEventBus } from '../../src/report/event-bus.js';
import type { HostRecap, HostResultEvent, Reporter, RunEvent } from '../../src/report/run-event.js';
import { moduleRegistry } from '../../modules/index.js';

export interface CaseResult {
  readonly events: RunEvent[];
  readonly results: HostResultEvent[];
  readonly recap: Record<string, HostRecap>;
  readonly exitCode: number;
  /** "task:host:status" lines in event order, for compact assertions. */
  readonly trace: string[];
}

export interface CaseInput {
  readonly playbook: string;
  readonly inventory?: string;
  readonly files?: Record<string, string>;
  readonly opts?: Partial<RunOptions>;
  readonly connect?: (host: string) => Connection;
  /** Looks at the case's directory after the run, before it is removed (it always is). */
  readonly inspect?: (dir: string) => Promise<void>;
}

export const DEFAULT_INVENTORY = `
[servers]
h1
h2
h3

[agents]
h4
h5

[all:vars]
ansible_connection=local
`;

export async function runCase(input: CaseInput): Promise<CaseResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'k3play-case-'));
  try {
    await writeFile(path.join(dir, 'site.yml'), input.playbook.split('$DIR').join(dir));
    await writeFile(path.join(dir, 'hosts.ini'), input.inventory ?? DEFAULT_INVENTORY);
    for (const [name, text] of Object.entries(input.files ?? {})) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), text.split('$DIR').join(dir));
    }
    const inventory = await loadInventory([path.join(dir, 'hosts.ini')]);
    const playbook = await loadPlaybook(path.join(dir, 'site.yml'), { modules: moduleRegistry, cwd: dir });
    const events: RunEvent[] = [];
    const collector: Reporter = { handle: (e) => void events.push(e), finish: async () => {} };
    const bus = createEventBus([collector]);
    const out = await executePlaybook({
      playbook,
      inventory,
      opts: { check: false, diff: false, forks: 10, verbose: 0, tags: [], skipTags: [], extraVars: {}, ...input.opts },
      emit: bus.emit,
      modules: moduleRegistry,
      connect: async (host) => (input.connect ? input.connect(host) : new LocalConnection(host)),
      loadVarsFile: async (f) => (await loadVarsFile(path.resolve(dir, f))).vars,
      runId: 'test',
    });
    await bus.finish();
    await input.inspect?.(dir);
    const results = events.filter((e): e is HostResultEvent => e.type === 'host_result');
    return {
      events,
      results,
      recap: out.recap,
      exitCode: out.exitCode,
      trace: stableTrace(results),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Hosts of one task finish in any order (they run in parallel); the trace sorts results by host
 * within each consecutive run of the same task so assertions can state the order that matters.
 */
function stableTrace(results: readonly HostResultEvent[]): string[] {
  const out: string[] = [];
  let group: HostResultEvent[] = [];
  const flush = () => {
    const hostOrder = (h: string) => Number(h.replace(/\D/g, '')) || 0;
    group.sort((a, b) => hostOrder(a.host) - hostOrder(b.host));
    for (const r of group) out.push(`${r.task}:${r.host}:${r.status}${r.item !== undefined ? `:${r.item}` : ''}`);
    group = [];
  };
  for (const r of results) {
    if (group.length > 0 && group[0]!.task !== r.task) flush();
    group.push(r);
  }
  flush();
  return out;
}
