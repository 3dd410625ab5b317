/**
 * FactsCache: where gathered facts live between uses. Two layers, one key (the inventory host
 * name) and one invalidation rule (a change on a host drops that host's facts, both layers):
 *
 * - per-run, in memory: `get`/`set`/`forgetHost`. The engine calls `forgetHost(host)` after any
 *   applied change on that host, so later templates never see facts from before the change.
 * - persistent (optional, `--facts-cache DIR`): one file per host, `<host>.json` holding
 *   `{version, host, gatheredAt, facts}`, written atomically (temp file + rename) with mode 0600
 *   in a 0700 directory; read back only while younger than the TTL (default 86400 s). Used by
 *   `gather_facts: smart`.
 *
 * Only stable facts are persisted. Volatile ones are stored as null and come back as null:
 *   `epoch` (the host clock) and `memory.availableMb` (changes by the second).
 * It never gathers anything itself (gather-facts.ts does) and never reads other files in DIR.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { HostFacts } from './host-facts.js';

export const DEFAULT_FACTS_TTL_SECONDS = 86_400;
/** Dotted paths of the HostFacts fields that are never persisted (stored and loaded as null). */
export const VOLATILE_FACT_PATHS = ['epoch', 'memory.availableMb'] as const;
const FILE_VERSION = 1;

/** The default persistent directory, under the project's `.k3play/` (baseDir: usually the cwd). */
export function defaultFactsCacheDir(baseDir: string): string {
  return join(baseDir, '.k3play', 'facts');
}

/** The facts with every volatile field set to null: what the persistent cache may hold. */
export function stableFacts(f: HostFacts): HostFacts {
  return { ...f, epoch: null, memory: { ...f.memory, availableMb: null } };
}

export interface FactsCacheOptions {
  /** Persistent directory; without it only the per-run layer exists. */
  readonly dir?: string;
  readonly ttlSeconds?: number;
  /** Clock in ms (tests inject one). */
  readonly now?: () => number;
}

interface FactsFile {
  readonly version: number;
  readonly host: string;
  /** ISO 8601, controller clock. */
  readonly gatheredAt: string;
  readonly facts: HostFacts;
}

export class FactsCache {
  readonly dir: string | undefined;
  readonly ttlSeconds: number;
  readonly #now: () => number;
  readonly #run = new Map<string, HostFacts>();
  /** Hosts changed during this run: their persistent copy must not be trusted until rewritten. */
  readonly #stale = new Set<string>();

  constructor(opts: FactsCacheOptions = {}) {
    this.dir = opts.dir;
    this.ttlSeconds = opts.ttlSeconds ?? DEFAULT_FACTS_TTL_SECONDS;
    this.#now = opts.now ?? Date.now;
  }

  get(host: string): HostFacts | undefined {
    return this.#run.get(host);
  }

  set(host: string, facts: HostFacts): void {
    this.#run.set(host, facts);
  }

  /**
   * Drop a host's facts after a change on it: the per-run copy, and the persistent file (a
   * change can alter stable facts too, e.g. swap or SELinux). Synchronous so the engine can call
   * it inline; a file that cannot be removed is still ignored for the rest of the run.
   */
  forgetHost(host: string): void {
    this.#run.delete(host);
    // Already stale: its file was removed at the first change (every command task calls this).
    if (!this.dir || this.#stale.has(host)) return;
    this.#stale.add(host);
    try {
      rmSync(this.fileFor(host), { force: true });
    } catch {
      // Kept out by #stale for this run; the TTL bounds it afterwards.
    }
  }

  /** `<dir>/<host>.json`; the host name is URI-encoded so it can never leave the directory. */
  fileFor(host: string): string {
    if (!this.dir) throw new Error('FactsCache: no persistent directory configured');
    return join(this.dir, `${encodeURIComponent(host)}.json`);
  }

  /**
   * The persistent copy when it exists, is readable, and is younger than the TTL; else null.
   * Volatile fields are null in the result. A corrupt or foreign file counts as absent.
   */
  async loadPersistent(host: string, now: number = this.#now()): Promise<HostFacts | null> {
    if (!this.dir || this.#stale.has(host)) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(this.fileFor(host), 'utf8'));
    } catch {
      return null;
    }
    if (!isFactsFile(parsed) || parsed.version !== FILE_VERSION || parsed.host !== host) return null;
    const age = now - Date.parse(parsed.gatheredAt);
    if (!(age >= 0 && age < this.ttlSeconds * 1000)) return null;
    return stableFacts(parsed.facts);
  }

  /**
   * Write the stable facts atomically: temp file (0600) in DIR, rename over `<host>.json`. No
   * fsync: it is a cache — a file torn by a power loss reads as corrupt and counts as absent —
   * and 100 fsyncs would cost more than gathering the facts again.
   */
  async savePersistent(host: string, facts: HostFacts, now: number = this.#now()): Promise<void> {
    if (!this.dir) return;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file: FactsFile = { version: FILE_VERSION, host, gatheredAt: new Date(now).toISOString(), facts: stableFacts(facts) };
    const target = this.fileFor(host);
    const tmp = join(this.dir, `.${encodeURIComponent(host)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(`${JSON.stringify(file, null, 2)}\n`);
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    this.#stale.delete(host);
  }
}

function isFactsFile(v: unknown): v is FactsFile {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  const f = o['facts'] as Record<string, unknown> | null | undefined;
  return (
    typeof o['version'] === 'number' &&
    typeof o['host'] === 'string' &&
    typeof o['gatheredAt'] === 'string' &&
    typeof f === 'object' &&
    f !== null &&
    typeof f['os'] === 'object' &&
    Array.isArray(f['interfaces'])
  );
}
