/**
 * The text end of a rollout, shared by the live view, the plain lines and `k3play report`:
 * the ROLLOUT RECAP table (site, wave, status, hosts, changed, failed, duration), the totals
 * line, why the rollout stopped, and the grouped changes ("412 sites: same 3 changes"). Pure
 * formatting; color only when asked.
 */
import { palette, stripAnsi, type Palette } from './ansi-style.js';
import { groupTitle, hostsText, type ChangeGroup } from './check-groups.js';
import { banner, formatDuration } from './recap.js';
import { unifiedDiff } from './unified-diff.js';
import { indent } from './host-lines.js';
import type { SiteRow } from '../rollout/rollout-event.js';

export const STATUS_ORDER: readonly SiteRow['status'][] = ['ok', 'failed', 'unreachable', 'error', 'interrupted', 'not_started'];

export function statusWord(s: SiteRow['status']): string {
  return s === 'not_started' ? 'not started' : s;
}

export function paintStatus(s: SiteRow['status'], p: Palette): (t: string) => string {
  return s === 'ok' ? p.green : s === 'interrupted' || s === 'not_started' ? p.yellow : p.red;
}

export interface RecapInput {
  readonly rows: readonly SiteRow[];
  readonly durationMs: number;
  readonly stopMessage?: string;
}

/**
 * The table; with more than `maxRows` sites only the sites that are not ok are listed (the
 * totals line still counts all; `k3play report ID` shows everything).
 */
export function formatRolloutRecap(r: RecapInput, opts: { color: boolean; maxRows?: number }): string[] {
  const p = palette(opts.color);
  const max = opts.maxRows ?? Infinity;
  const shown = r.rows.length > max ? r.rows.filter((x) => x.status !== 'ok') : r.rows;
  const head = ['site', 'wave', 'status', 'hosts', 'changed', 'failed', 'duration'];
  const cells = shown.map((x) => [
    x.site,
    x.wave === undefined ? '-' : String(x.wave),
    paintStatus(x.status, p)(statusWord(x.status)),
    String(x.hosts),
    x.changed > 0 ? p.yellow(String(x.changed)) : '0',
    x.failed > 0 ? p.red(String(x.failed)) : '0',
    x.status === 'not_started' ? '-' : formatDuration(x.durationMs),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => stripAnsi(c[i]!).length)));
  const line = (c: readonly string[]) => c.map((v, i) => (i === c.length - 1 ? v : v + ' '.repeat(widths[i]! - stripAnsi(v).length))).join('  ').trimEnd();
  const out = [banner('ROLLOUT RECAP'), p.bold(line(head)), ...cells.map(line)];
  if (shown.length < r.rows.length) out.push(p.dim(`(${r.rows.length - shown.length} ok sites not listed)`));
  const counts = new Map<SiteRow['status'], number>();
  for (const x of r.rows) counts.set(x.status, (counts.get(x.status) ?? 0) + 1);
  const sums = STATUS_ORDER.filter((s) => counts.has(s)).map((s) => paintStatus(s, p)(`${statusWord(s)}=${counts.get(s)}`));
  const n = r.rows.length;
  out.push('', `${p.bold(`${n} ${n === 1 ? 'site' : 'sites'}`)} in ${formatDuration(r.durationMs)}: ${sums.join(' ')}`);
  if (r.stopMessage) out.push(p.red(`stopped: ${r.stopMessage}`));
  return out;
}

/** The grouped changes; `diff` adds each change's unified diff once per group. */
export function formatChangeGroups(groups: readonly ChangeGroup[], opts: { color: boolean; diff: boolean; check: boolean; maxGroups?: number }): string[] {
  const p = palette(opts.color);
  if (groups.every((g) => g.changes.length === 0)) return [];
  const out = [banner(opts.check ? 'CHANGES (check mode: would change)' : 'CHANGES')];
  const max = opts.maxGroups ?? 20;
  for (const g of groups.slice(0, max)) {
    out.push(g.changes.length > 0 ? p.yellow(groupTitle(g)) : p.green(groupTitle(g)));
    if (g.sites.length > 1 && g.sites.length <= 8) out.push(p.dim(`  sites: ${g.sites.join(', ')}`));
    for (const c of g.changes) {
      out.push(`  - [${c.task}] ${c.summary.split('\n')[0]} ${p.dim(`(${hostsText(c)}${g.sites.length > 1 ? ' per site' : ''})`)}`);
      if (opts.diff && c.diff) out.push(...indent(unifiedDiff(c.diff, opts.color), '      '));
    }
  }
  if (groups.length > max) out.push(p.dim(`(${groups.length - max} more groups: k3play report ID --html FILE shows them all)`));
  return out;
}
