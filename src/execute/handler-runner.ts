/**
 * Handlers: run at the end of each tasks section and at `meta: flush_handlers`, in the order
 * they are defined, once per host, only on hosts where they were notified (by name or
 * `listen`) and that have not failed. A handler may notify handlers defined after it.
 */
import type { HostRun } from './host-run.js';
import type { PlayContext, Scope } from './run-context.js';
import { runTask } from './block-runner.js';

export async function runHandlers(pc: PlayContext, hosts: readonly HostRun[]): Promise<void> {
  const scope: Scope = {
    when: [],
    tags: [],
    vars: [],
    ...(pc.play.become !== undefined ? { become: pc.play.become } : {}),
    ...(pc.play.becomeUser !== undefined ? { becomeUser: pc.play.becomeUser } : {}),
  };
  for (const handler of pc.play.handlers) {
    const names = [handler.name, ...handler.listen].filter((n): n is string => n !== undefined);
    const targets = hosts.filter((h) => h.active && names.some((n) => h.notified.has(n)));
    if (targets.length === 0) continue;
    await runTask(handler, targets, scope, pc, true);
  }
  // Several handlers may listen to one topic, so notifications are cleared only after the pass.
  for (const h of hosts) h.notified.clear();
}
