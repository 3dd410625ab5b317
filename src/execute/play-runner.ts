/**
 * One play: select hosts (pattern ∩ --limit, minus hosts failed earlier), order them, split
 * into serial batches; per batch gather facts, run pre_tasks / tasks / post_tasks in lock-step
 * (or per host with `strategy: free`), flushing handlers after each section.
 */
import { K3playError } from '../errors/k3play-error.js';
import { formatLocation } from '../errors/source-location.js';
import type { Play, TaskNode } from '../playbook/types.js';
import { renderDeep } from '../template/index.js';
import { runNodes } from './block-runner.js';
import { gatherFactsFor } from './facts-step.js';
import { runHandlers } from './handler-runner.js';
import type { HostRun } from './host-run.js';
import type { PlayContext, RunContext, Scope } from './run-context.js';
import { serialBatches } from './serial-batches.js';

export interface PlayHosts {
  readonly hosts: readonly HostRun[];
}

export async function runPlay(play: Play, hostNames: readonly string[], playVars: Record<string, unknown>, run: RunContext): Promise<void> {
  const all = hostNames.map((n) => run.hosts.get(n)!).filter((h) => !h.failed && !h.unreachable);
  const ordered = orderHosts(all, play.order);
  run.emit({ type: 'play_start', play: play.name, hosts: ordered.map((h) => h.name) });
  const batches = serialBatches(ordered, play.serial);
  const scope: Scope = {
    when: [],
    tags: play.tags,
    vars: [],
    ...(play.become !== undefined ? { become: play.become } : {}),
    ...(play.becomeUser !== undefined ? { becomeUser: play.becomeUser } : {}),
    ...(play.environment ? { environment: play.environment } : {}),
  };
  for (let i = 0; i < batches.length; i++) {
    if (run.stopRun || run.opts.abort?.aborted) break;
    const batch = batches[i]!;
    for (const h of batch) h.ended = false;
    if (batches.length > 1) run.emit({ type: 'play_start', play: play.name, hosts: batch.map((h) => h.name), batch: { index: i + 1, count: batches.length } });
    const pc: PlayContext = { run, play, vars: playVars, batch, stopPlay: false };
    if (play.gatherFacts !== false) await gatherFactsFor(batch.filter((h) => h.active), play, pc);
    for (const section of [play.preTasks, play.tasks, play.postTasks]) {
      if (pc.stopPlay || run.stopRun) break;
      if (section.length === 0) continue;
      await runSection(section, batch, scope, pc);
      await runHandlers(pc, batch);
    }
  }
  run.emit({ type: 'play_end', play: play.name });
}

async function runSection(nodes: readonly TaskNode[], batch: readonly HostRun[], scope: Scope, pc: PlayContext): Promise<void> {
  if (pc.play.strategy === 'free') {
    // Each host runs through the tasks at its own pace; --forks still bounds parallel work.
    await Promise.all(batch.map((h) => runNodes(nodes, [h], scope, pc)));
    return;
  }
  await runNodes(nodes, batch, scope, pc);
}

function orderHosts(hosts: HostRun[], order: Play['order']): HostRun[] {
  switch (order) {
    case 'sorted':
      return [...hosts].sort((a, b) => a.name.localeCompare(b.name));
    case 'reverse_sorted':
      return [...hosts].sort((a, b) => b.name.localeCompare(a.name));
    case 'reverse_inventory':
      return [...hosts].reverse();
    case 'shuffle': {
      const out = [...hosts];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    }
    default:
      return hosts;
  }
}

/** The play's `hosts:` may be a template over -e vars (e.g. `hosts: "{{ target }}"`). */
export function renderPlayPattern(play: Pick<Play, 'hosts' | 'vars' | 'loc'>, extraVars: Readonly<Record<string, unknown>>): string {
  if (!play.hosts.includes('{{')) return play.hosts;
  const v = renderDeep(play.hosts, { ...play.vars, ...extraVars }, play.loc);
  if (typeof v !== 'string') {
    throw new K3playError({ loc: play.loc, message: `hosts: must render to a host pattern string (${formatLocation(play.loc)})` });
  }
  return v;
}
