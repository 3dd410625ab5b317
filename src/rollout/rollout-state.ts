/**
 * What the journal says about each site, and from that what a `--resume` must run. Pure
 * functions over journal events.
 *
 * A site is DONE once one attempt ended it with status ok: it is never run again. Otherwise
 * the latest attempt decides what to resume:
 *   - it ended failed/unreachable after a complete run: only the hosts that failed or were
 *     unreachable run again (the others completed every play);
 *   - it was interrupted, killed (a site_start without site_end) or raised an error: the same
 *     hosts as that attempt run again (a killed run cannot prove which hosts finished);
 *   - it never started: it runs with the rollout's own --limit.
 */
import { ExitCode } from '../errors/k3play-error.js';
import type { HostRecap } from '../report/run-event.js';
import type { SiteEndEvent, SiteRow, SiteStartEvent, RolloutEvent } from './rollout-event.js';

export interface SiteState {
  readonly site: string;
  /** The last attempt that started the site. */
  readonly lastStart?: SiteStartEvent;
  /** Its end, when it got one (absent: killed while running, or never started). */
  readonly lastEnd?: SiteEndEvent;
  /** An attempt ended the site ok. */
  readonly done: boolean;
  /** How many attempts ended the site ok (the journal's proof that none ran twice: at most 1). */
  readonly okEnds: number;
  readonly starts: number;
  /** Each host's recap from the latest attempt that ran it (a resume runs only some hosts). */
  readonly hostRecaps: ReadonlyMap<string, HostRecap>;
  /** Time spent on the site over all attempts. */
  readonly totalMs: number;
}

export function emptySiteState(site: string): SiteState {
  return { site, done: false, okEnds: 0, starts: 0, hostRecaps: new Map(), totalMs: 0 };
}

/** The state after one more event of the site (site_start and site_end matter; others are ignored). */
export function foldSiteEvent(s: SiteState, e: RolloutEvent): SiteState {
  if (e.type === 'site_start') {
    const { lastEnd: _dropped, ...rest } = s;
    return { ...rest, lastStart: e, starts: s.starts + 1 };
  }
  if (e.type === 'site_end') {
    const hostRecaps = new Map(s.hostRecaps);
    for (const [h, r] of Object.entries(e.recap)) hostRecaps.set(h, r);
    const ok = e.status === 'ok';
    return { ...s, lastEnd: e, done: s.done || ok, okEnds: s.okEnds + (ok ? 1 : 0), hostRecaps, totalMs: s.totalMs + e.durationMs };
  }
  return s;
}

export function siteState(site: string, events: readonly RolloutEvent[]): SiteState {
  return events.reduce(foldSiteEvent, emptySiteState(site));
}

export interface ResumeSite {
  readonly site: string;
  /** Host names to limit the site's run to; absent: the rollout's own --limit. */
  readonly hosts?: readonly string[];
}

export function resumeTarget(s: SiteState): ResumeSite | null {
  if (s.done) return null;
  const end = s.lastEnd;
  if (end && (end.status === 'failed' || end.status === 'unreachable') && end.failedHosts.length > 0) {
    return { site: s.site, hosts: end.failedHosts };
  }
  const narrowed = s.lastStart?.resumedHosts;
  return narrowed ? { site: s.site, hosts: narrowed } : { site: s.site };
}

/** The summary row of a site, over all its attempts (hosts: the latest result of each). */
export function siteRow(s: SiteState): SiteRow {
  const end = s.lastEnd;
  if (!end) {
    return {
      site: s.site,
      status: 'not_started',
      hosts: s.lastStart?.hosts.length ?? 0,
      changed: 0,
      failed: 0,
      durationMs: s.totalMs,
      ...(s.lastStart ? { wave: s.lastStart.wave, attempt: s.lastStart.attempt, message: 'started but did not end (killed?)' } : {}),
    };
  }
  const recaps = [...s.hostRecaps.values()];
  return {
    site: s.site,
    status: end.status,
    wave: end.wave,
    attempt: end.attempt,
    hosts: recaps.length,
    changed: recaps.reduce((n, r) => n + r.changed, 0),
    failed: recaps.filter((r) => r.failed > 0 || r.unreachable > 0).length,
    durationMs: s.totalMs,
    ...(end.message ? { message: end.message } : {}),
  };
}

export function statusCounts(rows: readonly SiteRow[]): Record<SiteRow['status'], number> {
  const c: Record<SiteRow['status'], number> = { ok: 0, failed: 0, unreachable: 0, interrupted: 0, error: 0, not_started: 0 };
  for (const r of rows) c[r.status]++;
  return c;
}

/**
 * The rollout's exit code over all its sites, with `k3play run`'s meanings: 130 interrupted,
 * 1 a site hit an internal error, 2 a site failed (or could not run, or was never started
 * because the rollout stopped), 3 only unreachable hosts, 0 every site ok.
 */
export function rolloutExitCode(rows: readonly SiteRow[], opts: { interrupted: boolean; internalError: boolean }): number {
  if (opts.interrupted) return ExitCode.interrupted;
  if (opts.internalError) return ExitCode.internal;
  const c = statusCounts(rows);
  if (c.failed + c.error + c.not_started + c.interrupted > 0) return ExitCode.hostFailed;
  if (c.unreachable > 0) return ExitCode.unreachable;
  return ExitCode.ok;
}
