/**
 * The implicit "Gathering Facts" task of a play: one probe round trip per host (or the
 * persistent cache for `gather_facts: smart`), results exposed as facts.* / ansible_* vars.
 */
import { HostUnreachable } from '../connection/types.js';
import { formatLocation } from '../errors/source-location.js';
import type { Play } from '../playbook/types.js';
import { toTemplateVars } from '../facts/ansible-aliases.js';
import { gatherFacts } from '../facts/gather-facts.js';
import type { HostRun } from './host-run.js';
import type { PlayContext } from './run-context.js';

export async function gatherFactsFor(hosts: readonly HostRun[], play: Play, pc: PlayContext): Promise<void> {
  const run = pc.run;
  const todo = hosts.filter((h) => !h.factsGathered);
  if (todo.length === 0) return;
  const task = 'Gathering Facts';
  run.emit({ type: 'task_start', play: play.name, task, module: 'gather_facts', hosts: todo.map((h) => h.name), loc: formatLocation(play.loc) });
  const taskStarted = Date.now();
  await Promise.all(
    todo.map((h) =>
      run.limit(async () => {
        const started = Date.now();
        try {
          let facts = run.facts.get(h.name);
          if (!facts && play.gatherFacts === 'smart') facts = (await run.facts.loadPersistent(h.name)) ?? undefined;
          if (!facts) {
            facts = await gatherFacts(await run.connect(h));
            run.facts.set(h.name, facts);
            await run.facts.savePersistent(h.name, facts).catch((e: Error) =>
              run.emit({ type: 'warning', host: h.name, message: `facts cache not written: ${e.message}` }),
            );
          }
          h.factVars = toTemplateVars(facts);
          h.factsGathered = true;
          h.recap.ok++;
          run.emit({ type: 'host_result', task, module: 'gather_facts', host: h.name, status: 'ok', changes: [], durationMs: Date.now() - started });
        } catch (e) {
          if (e instanceof HostUnreachable) {
            h.unreachable = true;
            h.recap.unreachable++;
            run.emit({ type: 'host_result', task, module: 'gather_facts', host: h.name, status: 'unreachable', changes: [], msg: e.reason, durationMs: Date.now() - started });
          } else {
            h.failed = true;
            h.countFailure();
            const msg = e instanceof Error ? e.message : String(e);
            run.emit({ type: 'host_result', task, module: 'gather_facts', host: h.name, status: 'failed', changes: [], msg, durationMs: Date.now() - started });
          }
        }
      }),
    ),
  );
  run.emit({ type: 'task_end', task, durationMs: Date.now() - taskStarted });
}
