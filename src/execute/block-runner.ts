/**
 * Runs a list of task nodes in lock-step over a set of hosts (the `linear` strategy): each
 * task on every active host (bounded by --forks), then the next task. Blocks run their
 * `block`, then `rescue` for the hosts that failed inside it, then `always` for all hosts that
 * entered. `meta` acts on the batch. Tag selection and inherited keywords are applied here.
 */
import type { Block, Task, TaskNode } from '../playbook/types.js';
import type { HostRun } from './host-run.js';
import type { PlayContext, Scope } from './run-context.js';
import { shouldRunTags } from './tag-filter.js';
import { hostVarsFor, runTaskOnHost, taskDisplayName } from './task-runner.js';
import { referencedNames } from './task-vars.js';
import { evaluateCondition } from '../template/index.js';
import { formatLocation } from '../errors/source-location.js';
import { runHandlers } from './handler-runner.js';

export function childScope(scope: Scope, node: TaskNode): Scope {
  return {
    when: node.kind === 'block' ? [...scope.when, ...node.when.map((text) => ({ text, loc: node.loc }))] : scope.when,
    tags: [...scope.tags, ...node.tags],
    vars: node.kind === 'block' ? [...scope.vars, node.vars] : scope.vars,
    ...pick(scope, node, 'become'),
    ...pick(scope, node, 'becomeUser'),
    ...pick(scope, node, 'ignoreErrors'),
    ...pick(scope, node, 'noLog'),
    ...pick(scope, node, 'checkMode'),
    ...pick(scope, node, 'delegateTo'),
    ...pick(scope, node, 'runOnce'),
    ...pick(scope, node, 'anyErrorsFatal'),
    ...(scope.environment || node.environment ? { environment: { ...(scope.environment ?? {}), ...(node.environment ?? {}) } } : {}),
  };
}

function pick<K extends keyof Scope & keyof TaskNode>(scope: Scope, node: TaskNode, key: K): Partial<Scope> {
  const v = node.kind === 'block' ? (node[key] ?? scope[key]) : scope[key];
  return v === undefined ? {} : ({ [key]: v } as Partial<Scope>);
}

export async function runNodes(nodes: readonly TaskNode[], hosts: readonly HostRun[], scope: Scope, pc: PlayContext): Promise<void> {
  for (const node of nodes) {
    if (pc.stopPlay || pc.run.stopRun || pc.run.opts.abort?.aborted) return;
    const active = hosts.filter((h) => h.active);
    if (active.length === 0) return;
    const s = childScope(scope, node);
    if (node.kind === 'block') {
      await runBlock(node, active, s, pc);
    } else if (node.module === 'meta') {
      if (shouldRunTags([...s.tags], pc.run.tagSel)) await runMeta(node, metaHosts(node, active, s, pc), pc);
    } else if (shouldRunTags([...s.tags], pc.run.tagSel)) {
      await runTask(node, active, s, pc);
    }
  }
}

async function runBlock(block: Block, hosts: HostRun[], scope: Scope, pc: PlayContext): Promise<void> {
  for (const h of hosts) h.blockFailures.push(0);
  await runNodes(block.block, hosts, scope, pc);
  const failedHere = hosts.filter((h) => h.failed && !h.unreachable);
  if (block.rescue.length > 0 && failedHere.length > 0) {
    for (const h of failedHere) {
      // Rescued failures are not failures of the run (as ansible-playbook counts them).
      h.recap.failed -= h.blockFailures[h.blockFailures.length - 1] ?? 0;
      h.blockFailures[h.blockFailures.length - 1] = 0;
      h.recap.rescued++;
      h.failed = false;
    }
    await runNodes(block.rescue, failedHere, scope, pc);
  }
  if (block.always.length > 0) {
    const stillFailed = hosts.filter((h) => h.failed && !h.unreachable);
    for (const h of stillFailed) h.failed = false;
    await runNodes(block.always, hosts.filter((h) => !h.unreachable && !h.ended), scope, pc);
    for (const h of stillFailed) h.failed = true;
  }
  for (const h of hosts) {
    const n = h.blockFailures.pop() ?? 0;
    const top = h.blockFailures.length - 1;
    if (top >= 0) h.blockFailures[top]! += n;
  }
}

export async function runTask(task: Task, hosts: readonly HostRun[], scope: Scope, pc: PlayContext, handler = false): Promise<void> {
  const run = pc.run;
  run.emit({
    type: 'task_start',
    play: pc.play.name,
    task: taskDisplayName(task),
    module: task.module,
    hosts: hosts.map((h) => h.name),
    loc: formatLocation(task.loc),
    ...(handler ? { handler: true } : {}),
  });
  const started = Date.now();
  if (task.runOnce ?? scope.runOnce) {
    const first = hosts[0]!;
    const r = await runTaskOnHost(task, first, scope, pc);
    // run_once: the one result stands for every host of the batch (register included).
    if (task.register) for (const h of hosts.slice(1)) h.runVars.set(task.register, first.runVars.get(task.register));
    if (task.module === 'set_fact') for (const h of hosts.slice(1)) for (const k of Object.keys(task.args)) h.runVars.set(k, first.runVars.get(k));
    if (r.changed) for (const h of hosts.slice(1)) for (const n of task.notify) h.notified.add(n);
  } else {
    await Promise.all(hosts.map((h) => run.limit(() => runTaskOnHost(task, h, scope, pc))));
  }
  run.emit({ type: 'task_end', task: taskDisplayName(task), durationMs: Date.now() - started });
  checkFailureLimits(task, hosts, scope, pc);
}

function checkFailureLimits(task: Task, hosts: readonly HostRun[], scope: Scope, pc: PlayContext): void {
  const failed = hosts.filter((h) => h.failed || h.unreachable);
  if (failed.length === 0) return;
  if (task.anyErrorsFatal ?? scope.anyErrorsFatal ?? pc.play.anyErrorsFatal) {
    for (const h of pc.batch) if (h.active) h.ended = true;
    pc.stopPlay = true;
    pc.run.stopRun = true;
    pc.run.emit({ type: 'warning', message: `any_errors_fatal: stopping after a failure in task "${taskDisplayName(task)}"` });
    return;
  }
  const pct = pc.play.maxFailPercentage;
  if (pct !== undefined) {
    const batchFailed = pc.batch.filter((h) => h.failed || h.unreachable).length;
    if ((batchFailed / pc.batch.length) * 100 > pct) {
      pc.stopPlay = true;
      pc.run.stopRun = true;
      pc.run.emit({ type: 'warning', message: `max_fail_percentage ${pct}% exceeded (${batchFailed} of ${pc.batch.length} hosts failed): stopping the run` });
    }
  }
}

/** Hosts for which a meta task's `when` (its own and inherited) holds. */
function metaHosts(task: Task, hosts: HostRun[], scope: Scope, pc: PlayContext): HostRun[] {
  const conds = [...scope.when, ...task.when.map((text) => ({ text, loc: task.loc }))];
  if (conds.length === 0) return hosts;
  return hosts.filter((h) => {
    const vars = hostVarsFor(h, pc, scope, task, referencedNames(conds.map((c) => c.text), true));
    return conds.every((c) => evaluateCondition(c.text, vars, c.loc));
  });
}

async function runMeta(task: Task, hosts: HostRun[], pc: PlayContext): Promise<void> {
  const action = String((task.args as { _raw?: unknown; action?: unknown })['action'] ?? (task.args as { _raw?: unknown })['_raw'] ?? '');
  switch (action) {
    case 'flush_handlers':
      if (hosts.length > 0) await runHandlers(pc, hosts);
      return;
    case 'end_play':
      if (hosts.length === 0) return;
      for (const h of pc.batch) if (h.active) h.ended = true;
      pc.stopPlay = true;
      return;
    case 'end_host':
      for (const h of hosts) h.ended = true;
      return;
    case 'clear_facts':
      for (const h of hosts) {
        h.factVars = {};
        h.factsGathered = false;
        pc.run.facts.forgetHost(h.name);
      }
      return;
    case 'clear_host_errors':
      for (const h of pc.batch) if (!h.unreachable) h.failed = false;
      return;
    default: // noop
      return;
  }
}
