/**
 * Changes across sites, grouped: sites whose hosts would make (or made) the same set of changes
 * form one group, so a `--check` rollout over 412 identical sites reads "412 sites: same 3
 * changes" once instead of 412 times. A change is identified by its task, its summary and its
 * diff (path, before, after) — not by the host, so the same change on node1 of one site and
 * node1 of another is one change. Sites with no change form their own group. Pure.
 */
import { createHash } from 'node:crypto';
import type { FileDiff } from '../module-api/types.js';
import type { HostResultEvent } from './run-event.js';

export interface GroupedChange {
  readonly task: string;
  readonly summary: string;
  readonly diff?: FileDiff;
  /** On how many hosts of each site of the group (min and max over the sites). */
  readonly hostsMin: number;
  readonly hostsMax: number;
}

export interface ChangeGroup {
  readonly sites: readonly string[];
  /** Empty: these sites change nothing. */
  readonly changes: readonly GroupedChange[];
}

function changeKey(task: string, summary: string, diff: FileDiff | undefined): string {
  const h = createHash('sha256').update(task).update('\0').update(summary);
  if (diff) h.update('\0').update(diff.path).update('\0').update(diff.before ?? '\u0000absent').update('\0').update(diff.after ?? '\u0000absent');
  return h.digest('hex');
}

/** `results`: per site, its host_result events (any status; only `changed` ones count). */
export function groupChanges(results: ReadonlyMap<string, readonly HostResultEvent[]>): ChangeGroup[] {
  interface SiteChange {
    readonly task: string;
    readonly summary: string;
    readonly diff?: FileDiff;
    readonly hosts: Set<string>;
  }
  const bySignature = new Map<string, { sites: string[]; perSite: Map<string, SiteChange>[] }>();
  for (const [site, events] of results) {
    const changes = new Map<string, SiteChange>();
    for (const e of events) {
      if (e.status !== 'changed') continue;
      for (const c of e.changes) {
        const key = changeKey(e.task, c.summary, c.diff);
        let sc = changes.get(key);
        if (!sc) {
          sc = { task: e.task, summary: c.summary, ...(c.diff ? { diff: c.diff } : {}), hosts: new Set() };
          changes.set(key, sc);
        }
        sc.hosts.add(e.host);
      }
    }
    const signature = [...changes.keys()].sort().join(',');
    let g = bySignature.get(signature);
    if (!g) {
      g = { sites: [], perSite: [] };
      bySignature.set(signature, g);
    }
    g.sites.push(site);
    g.perSite.push(changes);
  }
  const groups: ChangeGroup[] = [];
  for (const g of bySignature.values()) {
    const first = g.perSite[0]!;
    const entries = [...first.entries()].sort(([, a], [, b]) => a.task.localeCompare(b.task) || a.summary.localeCompare(b.summary));
    const changes: GroupedChange[] = entries.map(([key, c]) => {
      const counts = g.perSite.map((m) => m.get(key)!.hosts.size);
      return { task: c.task, summary: c.summary, ...(c.diff ? { diff: c.diff } : {}), hostsMin: Math.min(...counts), hostsMax: Math.max(...counts) };
    });
    groups.push({ sites: g.sites, changes });
  }
  // Biggest groups first; sites without changes last.
  return groups.sort((a, b) => (a.changes.length === 0 ? 1 : 0) - (b.changes.length === 0 ? 1 : 0) || b.sites.length - a.sites.length);
}

/** "412 sites: same 3 changes", "1 site (s7): 2 changes", "30 sites: no changes". */
export function groupTitle(g: ChangeGroup, verb = 'changes'): string {
  const n = g.sites.length;
  const who = n === 1 ? `1 site (${g.sites[0]})` : `${n} sites`;
  const k = g.changes.length;
  if (k === 0) return `${who}: no ${verb}`;
  const what = `${k} ${k === 1 ? verb.replace(/s$/, '') : verb}`;
  return n === 1 ? `${who}: ${what}` : `${who}: same ${what}`;
}

export function hostsText(c: GroupedChange): string {
  const n = c.hostsMin === c.hostsMax ? String(c.hostsMin) : `${c.hostsMin}-${c.hostsMax}`;
  return `${n} ${c.hostsMax === 1 ? 'host' : 'hosts'}`;
}
