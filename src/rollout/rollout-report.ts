/**
 * A rollout's report, from its journal: the summary rows (site, status, changed, failed,
 * duration), the totals, why it stopped, and per site the drill-down (each host's latest
 * recap, the failures, the changes with their diffs), plus the changes grouped across sites.
 * Pure over a Journal; `k3play report` renders it as text, JSON or HTML.
 */
import { groupChanges, type ChangeGroup } from '../report/check-groups.js';
import type { HostRecap, HostResultEvent } from '../report/run-event.js';
import type { RolloutEndEvent, SiteRow } from './rollout-event.js';
import type { Journal, RolloutMeta } from './rollout-journal.js';
import { siteRow, siteState, statusCounts } from './rollout-state.js';

export interface SiteDetail {
  readonly row: SiteRow;
  readonly attempts: number;
  /** Each host's recap from the latest attempt that ran it. */
  readonly hosts: readonly { readonly host: string; readonly recap: HostRecap }[];
  /** Failed and unreachable results of the latest attempt. */
  readonly failures: readonly HostResultEvent[];
  /** Changed results (with their changes and diffs), latest result per host and task. */
  readonly changes: readonly HostResultEvent[];
}

export interface RolloutReportModel {
  readonly meta: RolloutMeta;
  readonly rows: readonly SiteRow[];
  readonly counts: Readonly<Record<SiteRow['status'], number>>;
  readonly attempts: number;
  readonly durationMs: number;
  readonly stopMessage?: string;
  readonly check: boolean;
  readonly details: ReadonlyMap<string, SiteDetail>;
  readonly groups: readonly ChangeGroup[];
  readonly startedAt: string;
}

export function buildReport(j: Journal): RolloutReportModel {
  const details = new Map<string, SiteDetail>();
  const changedBySite = new Map<string, HostResultEvent[]>();
  const rows: SiteRow[] = [];
  for (const s of j.meta.sites) {
    const events = j.siteEvents.get(s.name) ?? [];
    const st = siteState(s.name, events);
    const row = siteRow(st);
    rows.push(row);
    // Results by attempt: the latest attempt's failures; changes over all attempts, latest per host+task.
    const lastAttempt = st.lastStart?.attempt;
    const failures: HostResultEvent[] = [];
    const changes = new Map<string, HostResultEvent>();
    let attempt = 0;
    for (const e of events) {
      if (e.type === 'site_start') attempt = e.attempt;
      if (e.type !== 'host_result') continue;
      if (attempt === lastAttempt && (e.status === 'unreachable' || (e.status === 'failed' && !e.ignored))) failures.push(e);
      if (e.status === 'changed') changes.set(`${e.host}\0${e.task}\0${e.item ?? ''}`, e);
    }
    // Task order (as they ran), then host name.
    const taskOrder = new Map<string, number>();
    for (const e of changes.values()) if (!taskOrder.has(e.task)) taskOrder.set(e.task, taskOrder.size);
    const changed = [...changes.values()].sort((a, b) => taskOrder.get(a.task)! - taskOrder.get(b.task)! || a.host.localeCompare(b.host, undefined, { numeric: true }));
    changedBySite.set(s.name, changed);
    details.set(s.name, {
      row,
      attempts: st.starts,
      hosts: [...st.hostRecaps].map(([host, recap]) => ({ host, recap })).sort((a, b) => a.host.localeCompare(b.host)),
      failures,
      changes: changed,
    });
  }
  const ends = j.rolloutEvents.filter((e): e is RolloutEndEvent => e.type === 'rollout_end');
  const starts = j.rolloutEvents.filter((e) => e.type === 'rollout_start');
  const siteMs = rows.reduce((n, r) => n + r.durationMs, 0);
  const last = ends.at(-1);
  // Only sites that ran to an end take part in the grouping.
  const ran = new Map([...changedBySite].filter(([site]) => details.get(site)!.row.status !== 'not_started'));
  return {
    meta: j.meta,
    rows,
    counts: statusCounts(rows),
    attempts: Math.max(starts.length, ...rows.map((r) => r.attempt ?? 0)),
    durationMs: ends.length > 0 ? ends.reduce((n, e) => n + e.durationMs, 0) : siteMs,
    ...(last?.stopMessage && last.attempt === Math.max(...ends.map((e) => e.attempt)) ? { stopMessage: last.stopMessage } : {}),
    check: j.meta.flags.check,
    details,
    groups: groupChanges(ran),
    startedAt: j.meta.createdAt,
  };
}
