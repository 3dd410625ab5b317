/**
 * The rollout engine: waves one after another, up to `siteConcurrency` sites at once inside a
 * wave, a canary wave that stops everything on a failure, a failure budget that stops starting
 * sites (running ones finish), and two stop signals from the CLI (Ctrl-C once: no new sites;
 * twice: running sites stop starting tasks too). Emits RolloutEvents; prints nothing.
 *
 * Sites run IN THIS PROCESS, each as its own executePlaybook run with its own SSH pool (site
 * inventories often reuse host names: node1, node2...), sharing the loaded playbook, the module
 * registry and one bastion cache. That is the cheapest way to run thousands of small sites: no
 * process start (~0.3 s and ~60 MB each), no re-parsing of the playbook, one bastion connection
 * for all the sites behind it. What is process-wide was checked: the secret registry
 * (src/module-api/secret.ts) only grows, so every site's secrets are masked in every site's
 * output (over-masking is safe); the vault keyring is set once by the CLI; the template render
 * state is synchronous (no interleaving); the compile caches are pure. A bug that throws in one
 * site ends that site as `error`, not the rollout; a crash of the process is what the journal
 * (append-only, synchronous) and --resume are for. Scaling past one process: docs/scale.md.
 */
import pLimit from 'p-limit';
import { ExitCode, isK3playError } from '../errors/k3play-error.js';
import { formatProblems } from '../errors/print-error.js';
import type { ConnectOptions } from '../connection/open-connection.js';
import type { RunOptions } from '../execute/run-options.js';
import type { Inventory } from '../inventory/types.js';
import type { Playbook } from '../playbook/types.js';
import type { HostRecap, HostResultEvent, RunEvent } from '../report/run-event.js';
import { runLoaded } from '../run.js';
import type { RolloutEvent, SiteEndEvent, SiteRow, SiteStartEvent, SiteStatus, StopReason } from './rollout-event.js';
import { emptySiteState, foldSiteEvent, rolloutExitCode, siteRow, statusCounts, type SiteState } from './rollout-state.js';
import { budgetExceeded, budgetText, type FailureBudget, type Wave } from './wave-plan.js';

export interface PreparedSite {
  readonly name: string;
  readonly inventory: Inventory;
  /** Hosts of the site this attempt works on (after --limit, or the resumed ones). */
  readonly hosts: readonly string[];
  /** The --limit for the site's run, when any. */
  readonly limit?: string;
  readonly resumedHosts?: readonly string[];
}

export interface RolloutPlan {
  readonly rolloutId: string;
  readonly attempt: number;
  readonly playbook: Playbook;
  /** Every site of the rollout, in order (also the finished ones, for the final table). */
  readonly allSites: readonly string[];
  /** What earlier attempts left (empty on attempt 1). */
  readonly earlier: ReadonlyMap<string, SiteState>;
  /** The sites to run now, by name. */
  readonly sites: ReadonlyMap<string, PreparedSite>;
  readonly waves: readonly Wave[];
  readonly siteConcurrency: number;
  readonly budget?: FailureBudget;
  /** Run options shared by every site (limit and abort are set per site). */
  readonly opts: Omit<RunOptions, 'limit' | 'abort'>;
  readonly connectFor: (site: string) => ConnectOptions;
  /** Per-site persistent facts directory (host names repeat across sites). */
  readonly factsDirFor: (site: string) => string;
}

export interface RolloutSignals {
  /** No new site starts (Ctrl-C once). */
  readonly noNewSites: AbortSignal;
  /** Running sites start no new task (Ctrl-C twice). */
  readonly stopTasks: AbortSignal;
}

export interface RolloutResult {
  readonly exitCode: number;
  readonly rows: readonly SiteRow[];
  readonly stopReason?: StopReason;
}

export async function runRollout(plan: RolloutPlan, signals: RolloutSignals, emit: (e: RolloutEvent) => void): Promise<RolloutResult> {
  const started = Date.now();
  const total = plan.allSites.length;
  const ends = new Map<string, SiteEndEvent>();
  const states = new Map(plan.earlier);
  const failed: string[] = [];
  let stop: { reason: StopReason; message: string } | undefined;
  let internalError = false;

  emit({
    type: 'rollout_start',
    version: 1,
    rolloutId: plan.rolloutId,
    attempt: plan.attempt,
    playbook: plan.playbook.file,
    check: plan.opts.check,
    diff: plan.opts.diff,
    sites: plan.allSites,
    pending: [...plan.sites.keys()],
    waves: plan.waves.map((w) => ({ index: w.index, canary: w.canary, sites: w.sites })),
    siteConcurrency: plan.siteConcurrency,
    ...(plan.budget ? { maxFailedSites: budgetText(plan.budget) } : {}),
    time: new Date(started).toISOString(),
  });

  const interrupted = () => signals.noNewSites.aborted || signals.stopTasks.aborted;
  const notStarted: string[] = [];
  const limit = pLimit(Math.max(1, plan.siteConcurrency));

  for (const wave of plan.waves) {
    if (stop || interrupted()) {
      notStarted.push(...wave.sites);
      continue;
    }
    emit({ type: 'wave_start', wave: wave.index, waves: plan.waves.length, canary: wave.canary, sites: wave.sites });
    let ok = 0;
    let bad = 0;
    await Promise.all(
      wave.sites.map((name) =>
        limit(async () => {
          if (!stop && interrupted()) stop = { reason: 'interrupted', message: 'interrupted (Ctrl-C): no new site was started' };
          if (stop) {
            notStarted.push(name);
            return;
          }
          const site = plan.sites.get(name)!;
          // Accounting runs synchronously before site_end is emitted: when the budget is spent,
          // `stop` is set before any other slot can start a site (no await in between).
          await runOneSite(plan, site, wave, signals.stopTasks, emit, (start, end) => {
            ends.set(name, end);
            states.set(name, foldSiteEvent(foldSiteEvent(states.get(name) ?? emptySiteState(name), start), end));
            if (end.status === 'error' && end.exitCode === ExitCode.internal) internalError = true;
            if (end.status === 'ok') ok++;
            else if (end.status !== 'interrupted') {
              bad++;
              failed.push(name);
              if (!stop && budgetExceeded(plan.budget, failed.length, total)) {
                stop = {
                  reason: 'failure_budget',
                  message: `failure budget exceeded: ${failed.length} sites failed (${failed.join(', ')}), more than --max-failed-sites ${budgetText(plan.budget!)}; no new site was started after ${name}`,
                };
              }
            }
          });
        }),
      ),
    );
    emit({ type: 'wave_end', wave: wave.index, ok, failed: bad });
    if (!stop && wave.canary && bad > 0) {
      stop = { reason: 'canary_failed', message: `canary failed (${failed.join(', ')}): no other site was started` };
    }
  }
  if (!stop && interrupted()) stop = { reason: 'interrupted', message: 'interrupted (Ctrl-C)' };
  if (stop) {
    const left = notStarted.length > 0 ? `; ${notStarted.length} ${notStarted.length === 1 ? 'site' : 'sites'} not started` : '';
    stop = { ...stop, message: `${stop.message}${left}` };
    emit({ type: 'rollout_stop', reason: stop.reason, message: stop.message, notStarted });
  }

  const rows = plan.allSites.map((name): SiteRow => siteRow(states.get(name) ?? emptySiteState(name)));
  const exitCode = rolloutExitCode(rows, { interrupted: stop?.reason === 'interrupted', internalError });
  emit({
    type: 'rollout_end',
    rolloutId: plan.rolloutId,
    attempt: plan.attempt,
    exitCode,
    durationMs: Date.now() - started,
    sites: rows,
    counts: statusCounts(rows),
    ...(stop ? { stopReason: stop.reason, stopMessage: stop.message } : {}),
  });
  return { exitCode, rows, ...(stop ? { stopReason: stop.reason } : {}) };
}

async function runOneSite(
  plan: RolloutPlan,
  site: PreparedSite,
  wave: Wave,
  stopTasks: AbortSignal,
  emit: (e: RolloutEvent) => void,
  account: (start: SiteStartEvent, end: SiteEndEvent) => void,
): Promise<void> {
  const t0 = Date.now();
  const start: SiteStartEvent = {
    type: 'site_start',
    site: site.name,
    wave: wave.index,
    attempt: plan.attempt,
    hosts: site.hosts,
    ...(site.limit !== undefined ? { limit: site.limit } : {}),
    ...(site.resumedHosts ? { resumedHosts: site.resumedHosts } : {}),
    time: new Date(t0).toISOString(),
  };
  emit(start);
  let firstFailure: string | undefined;
  const siteEmit = (e: RunEvent): void => {
    if (e.type === 'host_result' && !firstFailure && (e.status === 'unreachable' || (e.status === 'failed' && !e.ignored))) firstFailure = failureLine(e);
    emit({ site: site.name, ...e }); // masked by the rollout's event bus
  };
  const connect = plan.connectFor(site.name);
  let status: SiteStatus;
  let exitCode: number;
  let recap: Record<string, HostRecap> = {};
  let message = '';
  try {
    const out = await runLoaded({
      playbook: plan.playbook,
      inventory: site.inventory,
      opts: {
        ...plan.opts,
        factsCacheDir: plan.factsDirFor(site.name),
        ...(site.limit !== undefined ? { limit: site.limit } : {}),
        abort: stopTasks,
      },
      connect,
      emit: siteEmit,
    });
    exitCode = out.exitCode;
    recap = { ...out.recap };
    status = exitCode === ExitCode.ok ? 'ok' : exitCode === ExitCode.interrupted ? 'interrupted' : exitCode === ExitCode.unreachable ? 'unreachable' : 'failed';
    message = status === 'ok' ? '' : status === 'interrupted' ? 'interrupted (Ctrl-C)' : (firstFailure ?? '');
  } catch (e) {
    status = 'error';
    exitCode = isK3playError(e) ? ExitCode.hostFailed : ExitCode.internal;
    message = isK3playError(e) ? formatProblems(e.problems).split('\n')[0] ?? e.message : `internal error: ${(e as Error).message ?? String(e)}`;
  } finally {
    await connect.closeAll?.();
  }
  const values = Object.entries(recap);
  const end: SiteEndEvent = {
    type: 'site_end',
    site: site.name,
    wave: wave.index,
    attempt: plan.attempt,
    status,
    exitCode,
    recap,
    changed: values.reduce((n, [, r]) => n + r.changed, 0),
    failedHosts: values.filter(([, r]) => r.failed > 0 || r.unreachable > 0).map(([h]) => h),
    ...(message ? { message } : {}),
    durationMs: Date.now() - t0,
  };
  account(start, end);
  emit(end);
}

function failureLine(e: HostResultEvent): string {
  const what = e.status === 'unreachable' ? 'unreachable' : `failed in task "${e.task}"`;
  return `${e.host} ${what}: ${(e.msg ?? '').split('\n')[0]}`;
}
