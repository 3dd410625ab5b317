/**
 * RolloutEvent: everything `k3play rollout` tells the world, a documented, stable interface
 * (`--json` writes exactly these, one per line; the journal stores them; docs/rollout.md "JSON
 * output"). Two kinds:
 *   - rollout-level events (rollout_start, wave_start, site_start, site_end, wave_end,
 *     rollout_stop, rollout_end);
 *   - every RunEvent of a site's run (run_start ... run_end, see src/report/run-event.ts),
 *     unchanged except for a `site` field.
 * Optional fields are omitted when absent; additions are backwards compatible, a change of
 * meaning bumps ROLLOUT_SCHEMA_VERSION. Events are masked (secrets) before any consumer sees them.
 */
import type { HostRecap, RunEvent } from '../report/run-event.js';

export const ROLLOUT_SCHEMA_VERSION = 1;

/** How a site's run ended. `error`: the site could not run (its run raised an error). */
export type SiteStatus = 'ok' | 'failed' | 'unreachable' | 'interrupted' | 'error';

/** Why a rollout stopped starting sites. */
export type StopReason = 'canary_failed' | 'failure_budget' | 'interrupted';

export interface RolloutStartEvent {
  readonly type: 'rollout_start';
  readonly version: typeof ROLLOUT_SCHEMA_VERSION;
  readonly rolloutId: string;
  /** 1 for the first run, +1 for each --resume. */
  readonly attempt: number;
  readonly playbook: string;
  readonly check: boolean;
  readonly diff: boolean;
  /** Sites of the whole rollout, in order. */
  readonly sites: readonly string[];
  /** The sites this attempt will run (all of them on attempt 1; a resume leaves out finished ones). */
  readonly pending: readonly string[];
  readonly waves: readonly { readonly index: number; readonly canary: boolean; readonly sites: readonly string[] }[];
  readonly siteConcurrency: number;
  /** --max-failed-sites as given ("2", "10%"), when set. */
  readonly maxFailedSites?: string;
  readonly time: string;
}

export interface WaveStartEvent {
  readonly type: 'wave_start';
  readonly wave: number;
  readonly waves: number;
  readonly canary: boolean;
  readonly sites: readonly string[];
}

export interface SiteStartEvent {
  readonly type: 'site_start';
  readonly site: string;
  readonly wave: number;
  readonly attempt: number;
  /** The site's hosts this attempt works on (a resume narrows them to the unfinished ones). */
  readonly hosts: readonly string[];
  /** The --limit the site's run got (the user's, or the resumed hosts), when any. */
  readonly limit?: string;
  /** Present when a resume narrowed the site to these hosts (the ones that failed before). */
  readonly resumedHosts?: readonly string[];
  readonly time: string;
}

/** One RunEvent of a site's run. */
export type SiteRunEvent = RunEvent & { readonly site: string };

export interface SiteEndEvent {
  readonly type: 'site_end';
  readonly site: string;
  readonly wave: number;
  readonly attempt: number;
  readonly status: SiteStatus;
  /** The site run's exit code, as `k3play run` would have returned it. */
  readonly exitCode: number;
  readonly recap: Readonly<Record<string, HostRecap>>;
  /** Sum of the hosts' `changed`. */
  readonly changed: number;
  /** Hosts that failed or were unreachable. */
  readonly failedHosts: readonly string[];
  /** Why the site failed, one line (first failure, or the error). */
  readonly message?: string;
  readonly durationMs: number;
}

export interface WaveEndEvent {
  readonly type: 'wave_end';
  readonly wave: number;
  readonly ok: number;
  readonly failed: number;
}

export interface RolloutStopEvent {
  readonly type: 'rollout_stop';
  readonly reason: StopReason;
  /** For people: what happened and what was not done. */
  readonly message: string;
  /** Sites that were never started in this attempt. */
  readonly notStarted: readonly string[];
}

export interface SiteRow {
  readonly site: string;
  /** `not_started`: planned, never run to an end (stopped rollout); `pending`: not yet run. */
  readonly status: SiteStatus | 'not_started';
  readonly wave?: number;
  /** Attempt of the row's data (the latest that ran the site). */
  readonly attempt?: number;
  readonly hosts: number;
  readonly changed: number;
  readonly failed: number;
  readonly durationMs: number;
  readonly message?: string;
}

export interface RolloutEndEvent {
  readonly type: 'rollout_end';
  readonly rolloutId: string;
  readonly attempt: number;
  /** Same meanings as `k3play run`'s exit codes, over all sites of the rollout. */
  readonly exitCode: number;
  readonly durationMs: number;
  /** Every site of the rollout, earlier attempts included. */
  readonly sites: readonly SiteRow[];
  readonly counts: Readonly<Record<SiteRow['status'], number>>;
  readonly stopReason?: StopReason;
  readonly stopMessage?: string;
}

export type RolloutEvent =
  | RolloutStartEvent
  | WaveStartEvent
  | SiteStartEvent
  | SiteRunEvent
  | SiteEndEvent
  | WaveEndEvent
  | RolloutStopEvent
  | RolloutEndEvent;

export interface RolloutReporter {
  handle(event: RolloutEvent): void;
  finish(): Promise<void>;
}

const ROLLOUT_TYPES = new Set(['rollout_start', 'wave_start', 'site_start', 'site_end', 'wave_end', 'rollout_stop', 'rollout_end']);

/** A site's RunEvent (as opposed to a rollout-level event). */
export function isSiteRunEvent(e: RolloutEvent): e is SiteRunEvent {
  return !ROLLOUT_TYPES.has(e.type);
}
