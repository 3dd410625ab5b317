/**
 * `k3play rollout`: options -> a RolloutPlan (sites resolved and every site inventory loaded
 * and validated up front, so a typo in site 700 is reported before site 1 is touched), the
 * journal, the reporters, Ctrl-C wiring, then runRollout. `--resume ID` rebuilds the plan from
 * the journal (sites that are done are left out, failed ones narrowed to their failed hosts).
 * `--emit-k8s-job` writes the Kubernetes manifest instead of running; `--site-index N` is what
 * each pod of that Job runs (one site, journal under --journal-dir).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { BastionCache } from '../connection/ssh-pool.js';
import { ExitCode, K3playError, isK3playError, type Problem } from '../errors/k3play-error.js';
import { selectHosts } from '../inventory/host-pattern.js';
import type { Inventory } from '../inventory/types.js';
import { loadPlaybook } from '../playbook/load-playbook.js';
import type { Playbook } from '../playbook/types.js';
import { colorEnabled, isCi, reporterKind } from '../report/choose-reporter.js';
import { createEventBus } from '../report/event-bus.js';
import { RolloutJsonReporter } from '../report/rollout-json-reporter.js';
import { RolloutListrReporter } from '../report/rollout-listr-reporter.js';
import { RolloutPlainReporter } from '../report/rollout-plain-reporter.js';
import { emitK8sJob } from '../rollout/k8s-job.js';
import type { RolloutEvent, RolloutReporter } from '../rollout/rollout-event.js';
import {
  createJournal, extraVarsDigest, findRollout, JournalWriter, newRolloutId, readJournal, type RolloutFlags, type RolloutMeta,
} from '../rollout/rollout-journal.js';
import { resumeTarget, siteState, type SiteState } from '../rollout/rollout-state.js';
import { runRollout, type PreparedSite } from '../rollout/run-rollout.js';
import { resolveSites, type Site } from '../rollout/site-list.js';
import { loadSiteInventory } from '../rollout/site-inventory.js';
import { parseFailureBudget, parseWaves, planWaves } from '../rollout/wave-plan.js';
import { validateHostPatterns } from '../validate-hosts.js';
import { initVaultKeyring } from '../vault/vault-password.js';
import { moduleRegistry } from '../../modules/index.js';
import { connectOptions } from './connect-options.js';
import { parseExtraVars } from './extra-vars.js';
import { splitTags, type RunCliOptions } from './run-command.js';

/** The flags of `k3play run` (minus -i: sites bring their inventories), plus the rollout's own. */
export interface RolloutCliOptions extends Omit<RunCliOptions, 'inventory'> {
  sites?: string;
  resume?: string;
  siteConcurrency?: number;
  canary?: number;
  waves?: string;
  maxFailedSites?: string;
  journalDir?: string;
  rolloutId?: string;
  siteIndex?: number;
  emitK8sJob?: string;
  k8sImage?: string;
  k8sNamespace?: string;
  k8sSshSecret?: string;
  k8sJournalClaim?: string;
  k8sVaultSecret?: string;
  /** k3play's version (default image tag). */
  version?: string;
}

const DEFAULT_SITE_CONCURRENCY = 10;

export async function rolloutCommand(playbookArg: string | undefined, o: RolloutCliOptions): Promise<number> {
  await initVaultKeyring(o);
  const root = path.resolve(o.journalDir ?? path.join('.k3play', 'rollouts'));
  const extraVars = await parseExtraVars(o.extraVars);

  // ---- what to run: a new rollout, or the rest of one from its journal ----
  let meta: RolloutMeta;
  let earlier = new Map<string, SiteState>();
  let attempt = 1;
  if (o.resume !== undefined) {
    refuseOnResume(playbookArg, o);
    const journal = readJournal(findRollout(root, o.resume));
    meta = journal.meta;
    const given = extraVarsDigest(o.extraVars);
    if (given.sha256 !== meta.extraVars.sha256) {
      throw new K3playError({
        context: '--resume',
        message: `rollout ${meta.id} was started with ${meta.extraVars.count} -e argument(s); this resume gives ${given.count}${given.count === meta.extraVars.count ? ' different ones' : ''}`,
        hint: '-e values are not kept in the journal (they may hold secrets): give exactly the same -e arguments again',
      });
    }
    for (const s of meta.sites) earlier.set(s.name, siteState(s.name, journal.siteEvents.get(s.name) ?? []));
    attempt = 1 + Math.max(0, ...journal.rolloutEvents.filter((e) => e.type === 'rollout_start').map((e) => (e.type === 'rollout_start' ? e.attempt : 0)), ...[...journal.siteEvents.values()].flat().map((e) => (e.type === 'site_start' ? e.attempt : 0)));
    if (o.siteConcurrency !== undefined) meta = { ...meta, flags: { ...meta.flags, siteConcurrency: o.siteConcurrency } };
  } else {
    if (!playbookArg) throw new K3playError({ message: 'missing PLAYBOOK', hint: 'k3play rollout PLAYBOOK --sites SPEC, or k3play rollout --resume ID' });
    if (!o.sites) throw new K3playError({ message: 'missing --sites', hint: "give the sites: --sites 'inventories/sites/*.ini', a directory, or a YAML site list" });
    const flags: RolloutFlags = {
      check: o.check,
      diff: o.diff,
      ...(o.limit ? { limit: o.limit } : {}),
      tags: splitTags(o.tags),
      skipTags: splitTags(o.skipTags),
      forks: o.forks,
      siteConcurrency: o.siteConcurrency ?? DEFAULT_SITE_CONCURRENCY,
      canary: o.canary ?? 0,
      waves: o.waves ?? '100%',
      ...(o.maxFailedSites !== undefined ? { maxFailedSites: o.maxFailedSites } : {}),
      ...(o.factsCache ? { factsCache: path.resolve(o.factsCache) } : {}),
      acceptNewHostKeys: o.acceptNewHostKeys,
    };
    meta = {
      version: 1,
      id: o.rolloutId ?? newRolloutId(),
      createdAt: new Date().toISOString(),
      playbook: path.resolve(playbookArg),
      sitesSpec: o.sites,
      cwd: process.cwd(),
      sites: [],
      flags,
      extraVars: extraVarsDigest(o.extraVars),
    };
  }
  const flags = meta.flags;
  const waveSizes = parseWaves(flags.waves);
  const budget = flags.maxFailedSites !== undefined ? parseFailureBudget(flags.maxFailedSites) : undefined;

  // ---- load and validate everything before anything runs ----
  const sites = await resolveSites(meta.sitesSpec, meta.cwd);
  if (meta.sites.length > 0) checkSameSites(meta, sites);
  else meta = { ...meta, sites: sites.map((s) => ({ name: s.name, inventories: s.inventories })) };
  const playbook = await loadPlaybook(meta.playbook, { modules: moduleRegistry });

  let chosen = sites;
  if (o.siteIndex !== undefined) {
    const s = sites[o.siteIndex];
    if (!s) throw new K3playError({ context: '--site-index', message: `no site with index ${o.siteIndex} (the list has ${sites.length}, indexes 0-${sites.length - 1})` });
    chosen = [s];
  }
  const targets = new Map<string, { hosts?: readonly string[] }>();
  for (const s of chosen) {
    const st = earlier.get(s.name);
    const t = st ? resumeTarget(st) : { site: s.name };
    if (t) targets.set(s.name, t.hosts ? { hosts: t.hosts } : {});
  }
  const prepared = await prepareSites(chosen.filter((s) => targets.has(s.name)), playbook, flags.limit, targets);

  if (o.emitK8sJob !== undefined) {
    const text = await emitK8sJob({
      meta,
      sites,
      rawArgs: { extraVars: o.extraVars },
      image: o.k8sImage,
      namespace: o.k8sNamespace,
      sshSecret: o.k8sSshSecret,
      journalClaim: o.k8sJournalClaim,
      vaultSecret: (o.vaultPasswordFile ?? []).length + (o.vaultId ?? []).length > 0 || process.env['K3PLAY_VAULT_PASSWORD_FILE'] ? (o.k8sVaultSecret ?? 'k3play-vault') : undefined,
      version: o.version,
    });
    if (o.emitK8sJob === '-') process.stdout.write(text);
    else await writeFile(o.emitK8sJob, text);
    if (o.emitK8sJob !== '-') process.stderr.write(`wrote ${o.emitK8sJob}: an Indexed Job for ${sites.length} sites and its ConfigMap (kubectl apply -f ${o.emitK8sJob})\n`);
    return ExitCode.ok;
  }

  // ---- waves over what is left to run ----
  const pending = meta.sites.map((s) => s.name).filter((n) => prepared.has(n));
  const canarySites = new Set(meta.sites.slice(0, flags.canary).map((s) => s.name));
  const canary = o.siteIndex !== undefined ? 0 : pending.filter((n) => canarySites.has(n)).length;
  const waves = o.siteIndex !== undefined ? planWaves(pending, { canary: 0, waves: [] }) : planWaves(pending, { canary, waves: waveSizes });

  const dir = createJournal(root, meta);
  const tty = Boolean(process.stdout.isTTY);
  const color = colorEnabled(process.env, tty, o.color === false ? false : undefined);
  const shownDir = path.relative(process.cwd(), dir) || dir;
  const footer = [
    `journal: ${shownDir}`,
    `report:  k3play report ${meta.id}${o.journalDir ? ` --journal-dir ${o.journalDir}` : ''} [--html report.html]`,
    `resume:  k3play rollout --resume ${meta.id}${o.journalDir ? ` --journal-dir ${o.journalDir}` : ''}  (failed and unfinished sites only)`,
  ];
  const view = { color, verbose: o.verbose, diff: flags.diff, footer };
  const reporters: RolloutReporter[] = [new JournalWriter(dir, { siteOnly: o.siteIndex !== undefined })];
  const kind = reporterKind({ json: o.json, tty, ci: isCi(process.env), out: process.stdout });
  if (kind === 'json') reporters.push(new RolloutJsonReporter(process.stdout));
  else if (kind === 'live') reporters.push(new RolloutListrReporter({ ...view, out: process.stdout, err: process.stderr }));
  else reporters.push(new RolloutPlainReporter({ ...view, out: process.stdout }));
  const bus = createEventBus<RolloutEvent>(reporters);

  const noNewSites = new AbortController();
  const stopTasks = new AbortController();
  let presses = 0;
  const onSigint = () => {
    presses++;
    if (presses === 1) {
      process.stderr.write('\ninterrupted: no new site starts; running sites finish (Ctrl-C again: running sites start no new task)\n');
      noNewSites.abort();
    } else if (presses === 2) {
      process.stderr.write('\ninterrupted again: running sites finish their running steps and stop (Ctrl-C again to quit now)\n');
      stopTasks.abort();
    } else process.exit(ExitCode.interrupted);
  };
  process.on('SIGINT', onSigint);
  const bastions = new BastionCache();
  const factsRoot = flags.factsCache ?? path.resolve('.k3play', 'facts');
  try {
    const result = await runRollout(
      {
        rolloutId: meta.id,
        attempt,
        playbook,
        allSites: o.siteIndex !== undefined ? chosen.map((s) => s.name) : meta.sites.map((s) => s.name),
        earlier,
        sites: prepared,
        waves,
        siteConcurrency: flags.siteConcurrency,
        ...(budget ? { budget } : {}),
        opts: { check: flags.check, diff: flags.diff, forks: flags.forks, verbose: o.verbose, tags: flags.tags, skipTags: flags.skipTags, extraVars },
        connectFor: (name) => connectOptions(flags.acceptNewHostKeys, sites.find((s) => s.name === name)!.inventories, bastions),
        factsDirFor: (name) => path.join(factsRoot, 'sites', name),
      },
      { noNewSites: noNewSites.signal, stopTasks: stopTasks.signal },
      bus.emit,
    );
    return result.exitCode;
  } finally {
    process.off('SIGINT', onSigint);
    await bastions.closeAll();
    await bus.finish();
  }
}

/** On --resume everything comes from the journal; flags that would change the rollout are refused. */
function refuseOnResume(playbookArg: string | undefined, o: RolloutCliOptions): void {
  const given: string[] = [];
  if (playbookArg) given.push('PLAYBOOK');
  if (o.sites) given.push('--sites');
  if (o.canary !== undefined) given.push('--canary');
  if (o.waves !== undefined) given.push('--waves');
  if (o.maxFailedSites !== undefined) given.push('--max-failed-sites');
  if (o.limit) given.push('--limit');
  if (o.check) given.push('--check');
  if (o.tags.length + o.skipTags.length > 0) given.push('--tags/--skip-tags');
  if (given.length > 0) {
    throw new K3playError({
      context: '--resume',
      message: `${given.join(', ')} cannot be given with --resume: a resume continues the rollout as it was started`,
      hint: 'run k3play rollout --resume ID (plus the same -e and vault options); start a new rollout to change what it does',
    });
  }
}

function checkSameSites(meta: RolloutMeta, now: readonly Site[]): void {
  const names = new Set(now.map((s) => s.name));
  const gone = meta.sites.filter((s) => !names.has(s.name)).map((s) => s.name);
  if (gone.length > 0) {
    throw new K3playError({
      context: '--resume',
      message: `sites of rollout ${meta.id} are no longer in --sites ${meta.sitesSpec}: ${gone.slice(0, 10).join(', ')}${gone.length > 10 ? ', ...' : ''}`,
      hint: 'put their inventories back, or start a new rollout',
    });
  }
}

/** Loads every site's inventory (16 at a time) and validates it against the playbook; all problems at once. */
async function prepareSites(
  sites: readonly Site[],
  playbook: Playbook,
  limit: string | undefined,
  targets: ReadonlyMap<string, { hosts?: readonly string[] }>,
): Promise<Map<string, PreparedSite>> {
  const problems: Problem[] = [];
  const out = new Map<string, PreparedSite>();
  const lim = pLimit(16);
  const loaded = await Promise.all(
    sites.map((s) =>
      lim(async (): Promise<[Site, Inventory | undefined]> => {
        try {
          const inv = await loadSiteInventory(s);
          validateHostPatterns(playbook, inv, limit);
          return [s, inv];
        } catch (e) {
          if (!isK3playError(e)) throw e;
          for (const p of e.problems) problems.push({ ...p, context: `site ${s.name}${p.context ? `, ${p.context}` : ''}` });
          return [s, undefined];
        }
      }),
    ),
  );
  if (problems.length > 0) throw new K3playError(problems);
  for (const [s, inv] of loaded) {
    const t = targets.get(s.name)!;
    let hosts = selectHosts(inv!, limit ?? 'all').hosts;
    let siteLimit = limit;
    if (t.hosts) {
      const known = t.hosts.filter((h) => inv!.hosts.has(h));
      if (known.length > 0) {
        hosts = known;
        siteLimit = known.join(':');
      }
    }
    out.set(s.name, { name: s.name, inventory: inv!, hosts, ...(siteLimit !== undefined ? { limit: siteLimit } : {}), ...(t.hosts && siteLimit !== limit ? { resumedHosts: hosts } : {}) });
  }
  return out;
}

