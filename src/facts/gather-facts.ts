/**
 * Gathering: exactly ONE `conn.exec` of the probe script per host (one round trip), then the
 * pure parser. `gatherAll` applies the gather_facts mode over many hosts with a concurrency
 * limit and the FactsCache layers. It never writes to a host; a host whose gathering fails is
 * reported as failed in the outcome and the others go on (only gatherFacts itself throws).
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { Connection } from '../connection/types.js';
import { ExitCode, K3playError } from '../errors/k3play-error.js';
import { rawScript } from '../module-api/shell-quote.js';
import type { FactsCache } from './facts-cache.js';
import type { HostFacts } from './host-facts.js';
import { ProbeOutputError, parseFacts } from './parse-facts.js';
import { PROBE_SCRIPT } from './probe-script.js';

export interface GatherOptions {
  /** Default 60 s: the probe itself takes well under a second; `hostname -f` is capped at 5 s. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * One round trip: run the probe, parse its output. Throws K3playError (naming the host, exit
 * code and stderr) when the probe fails or its output is incomplete; HostUnreachable from the
 * connection propagates unchanged.
 */
export async function gatherFacts(conn: Connection, opts: GatherOptions = {}): Promise<HostFacts> {
  const res = await conn.exec(rawScript(PROBE_SCRIPT), { timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  const stderr = res.stderr.trim();
  if (res.exitCode !== 0) {
    throw new K3playError(
      {
        context: `host ${conn.host}`,
        message: `gathering facts failed: the probe exited ${res.exitCode}${stderr ? `: ${stderr}` : ''}`,
        hint: 'the probe needs a POSIX /bin/sh on the host; run `k3play facts HOST -vvv` to see the script',
      },
      ExitCode.hostFailed,
    );
  }
  try {
    return parseFacts(res.stdout);
  } catch (e) {
    if (!(e instanceof ProbeOutputError)) throw e;
    throw new K3playError(
      {
        context: `host ${conn.host}`,
        message: `gathering facts failed: ${e.message}${stderr ? ` (stderr: ${stderr})` : ''}`,
        hint: 'a login banner or shell rc file writing to stdout is fine, one that exits is not; check the remote shell',
      },
      ExitCode.hostFailed,
    );
  }
}

/**
 * always: per-run cache, else gather (the persistent copy is refreshed, not read).
 * smart:  per-run cache, else a fresh persistent copy, else gather.
 * never:  per-run cache only; nothing is gathered.
 */
export type GatherMode = 'always' | 'smart' | 'never';

/** The playbook's `gather_facts:` value -> a mode. */
export function gatherModeOf(v: boolean | 'smart'): GatherMode {
  return v === 'smart' ? 'smart' : v ? 'always' : 'never';
}

export type GatherOutcome =
  | {
      readonly host: string;
      readonly source: 'run-cache' | 'persistent' | 'gathered';
      readonly facts: HostFacts;
      /** Set when the facts were gathered but could not be written to the persistent cache. */
      readonly warning?: string;
    }
  | { readonly host: string; readonly source: 'none' }
  | { readonly host: string; readonly source: 'failed'; readonly error: unknown };

export interface GatherAllOptions extends GatherOptions {
  readonly mode: GatherMode;
  /** The run's --forks limiter, or a number of parallel hosts (default 10). */
  readonly limit?: LimitFunction | number;
}

/** Facts for every connection's host, by host name, in the order of `conns`. */
export async function gatherAll(
  conns: readonly Connection[],
  cache: FactsCache,
  opts: GatherAllOptions,
): Promise<Map<string, GatherOutcome>> {
  const limit = typeof opts.limit === 'function' ? opts.limit : pLimit(opts.limit ?? 10);
  const outcomes = await Promise.all(conns.map((c) => limit(() => gatherOne(c, cache, opts))));
  return new Map(outcomes.map((o) => [o.host, o]));
}

async function gatherOne(conn: Connection, cache: FactsCache, opts: GatherAllOptions): Promise<GatherOutcome> {
  const host = conn.host;
  const inRun = cache.get(host);
  if (inRun) return { host, source: 'run-cache', facts: inRun };
  if (opts.mode === 'never') return { host, source: 'none' };
  if (opts.mode === 'smart') {
    const stored = await cache.loadPersistent(host);
    if (stored) {
      cache.set(host, stored);
      return { host, source: 'persistent', facts: stored };
    }
  }
  let facts: HostFacts;
  try {
    facts = await gatherFacts(conn, opts);
  } catch (error) {
    return { host, source: 'failed', error };
  }
  cache.set(host, facts);
  try {
    await cache.savePersistent(host, facts);
  } catch (e) {
    // The facts are good; a cache that cannot be written only costs a round trip next time.
    return { host, source: 'gathered', facts, warning: `facts cache not written: ${(e as Error).message}` };
  }
  return { host, source: 'gathered', facts };
}
