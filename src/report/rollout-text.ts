/**
 * Lines of rollout-level events shared by the plain and live rollout reporters: the ROLLOUT
 * banner, wave titles, a site's one-line end, and the closing block (recap table, grouped
 * changes, footer). Pure functions; no I/O.
 */
import { palette } from './ansi-style.js';
import type { ChangeGroup } from './check-groups.js';
import { banner, formatDuration } from './recap.js';
import { formatChangeGroups, formatRolloutRecap, paintStatus, statusWord } from './rollout-recap.js';
import type { RolloutEndEvent, RolloutStartEvent, SiteEndEvent, WaveStartEvent } from '../rollout/rollout-event.js';

export interface RolloutTextOptions {
  readonly color: boolean;
  readonly verbose: number;
  readonly diff: boolean;
  /** Lines printed after the recap (where the journal is, how to report and resume). */
  readonly footer?: readonly string[];
}

export function rolloutBanner(e: RolloutStartEvent): string[] {
  const p = palette(false);
  const n = e.sites.length;
  const pending = e.attempt > 1 ? `, resume ${e.attempt - 1}: ${e.pending.length} to run` : '';
  const waves = `${e.waves.length} ${e.waves.length === 1 ? 'wave' : 'waves'}`;
  const budget = e.maxFailedSites !== undefined ? `, --max-failed-sites ${e.maxFailedSites}` : '';
  return [p.bold(banner(`ROLLOUT [${e.playbook}]`)), `rollout ${e.rolloutId}: ${n} ${n === 1 ? 'site' : 'sites'}${pending}, ${waves}, ${e.siteConcurrency} at a time${budget}`];
}

export function waveTitle(e: WaveStartEvent): string {
  const n = e.sites.length;
  const who = n <= 4 ? e.sites.join(', ') : `${e.sites[0]} .. ${e.sites.at(-1)}`;
  return `WAVE ${e.wave}/${e.waves}${e.canary ? ' (canary)' : ''}: ${n} ${n === 1 ? 'site' : 'sites'} (${who})`;
}

export function siteEndLine(e: SiteEndEvent, color: boolean): string {
  const p = palette(color);
  const hosts = Object.keys(e.recap).length;
  const parts = [`${hosts} ${hosts === 1 ? 'host' : 'hosts'}`, `changed=${e.changed}`];
  if (e.failedHosts.length > 0) parts.push(`failed=${e.failedHosts.length}`);
  const why = e.message && e.status !== 'ok' ? ` - ${e.message}` : '';
  return `${e.site}: ${paintStatus(e.status, p)(statusWord(e.status))} ${parts.join(' ')} (${formatDuration(e.durationMs)})${why}`;
}

export function closingLines(e: RolloutEndEvent, groups: readonly ChangeGroup[], check: boolean, o: RolloutTextOptions): string[] {
  const lines = formatRolloutRecap({ rows: e.sites, durationMs: e.durationMs, ...(e.stopMessage ? { stopMessage: e.stopMessage } : {}) }, { color: o.color, maxRows: 50 });
  const changes = formatChangeGroups(groups, { color: o.color, diff: o.diff, check });
  if (changes.length > 0) lines.push('', ...changes);
  if (o.footer && o.footer.length > 0) lines.push('', ...o.footer);
  return lines;
}
