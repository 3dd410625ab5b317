/**
 * The rollout journal, `.k3play/rollouts/<id>/` (0700 directory, 0600 files):
 *
 *   rollout.json         what was asked: playbook, --sites, sites, flags (written once, temp + rename)
 *   rollout.jsonl        rollout-level events of every attempt (rollout_start, wave_*, rollout_stop/end)
 *   sites/<site>.jsonl   per site: site_start, the site's RunEvents (per-host results), site_end
 *
 * Every event is already masked (the event bus did it). Lines are appended with synchronous
 * writes, in order, before the rollout goes on: a SIGKILL at any instant leaves complete lines
 * (at most the very last one cut short, which the reader drops), so the journal is always
 * readable and resumable. One file per site also lets independent writers (the pods of the
 * Kubernetes Job, each running one site) share one journal directory on a volume.
 *
 * `-e` values are NOT stored (they may hold secrets): only their count and a SHA-256, so a
 * resume can check it got the same ones. This file owns the layout and the I/O; deciding what
 * to resume is rollout-state.ts.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync, writeSync,
} from 'node:fs';
import path from 'node:path';
import { K3playError } from '../errors/k3play-error.js';
import { isSiteRunEvent, type RolloutEvent, type RolloutReporter } from './rollout-event.js';

export const JOURNAL_VERSION = 1;

export interface RolloutFlags {
  readonly check: boolean;
  readonly diff: boolean;
  readonly limit?: string;
  readonly tags: readonly string[];
  readonly skipTags: readonly string[];
  readonly forks: number;
  readonly siteConcurrency: number;
  readonly canary: number;
  readonly waves: string;
  readonly maxFailedSites?: string;
  readonly factsCache?: string;
  readonly acceptNewHostKeys: boolean;
}

export interface RolloutMeta {
  readonly version: typeof JOURNAL_VERSION;
  readonly id: string;
  readonly createdAt: string;
  /** Absolute path of the playbook. */
  readonly playbook: string;
  /** --sites as given, and the directory it is relative to. */
  readonly sitesSpec: string;
  readonly cwd: string;
  readonly sites: readonly { readonly name: string; readonly inventories: readonly string[] }[];
  readonly flags: RolloutFlags;
  /** The -e arguments are not stored: only how many and their SHA-256 (to check a resume). */
  readonly extraVars: { readonly count: number; readonly sha256: string };
}

/** `20261101-120000-ab12`: sortable by time, short enough to type. */
export function newRolloutId(now = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${t}-${randomBytes(2).toString('hex')}`;
}

export function extraVarsDigest(args: readonly string[]): RolloutMeta['extraVars'] {
  const h = createHash('sha256');
  for (const a of args) h.update(`${a.length}:${a}`);
  return { count: args.length, sha256: h.digest('hex') };
}

/** Writes `file` atomically: a temp file in the same directory, then rename. */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

export function rolloutDir(root: string, id: string): string {
  return path.join(root, id);
}

/** Creates the journal directory and rollout.json of a new rollout (or reuses a given id's). */
export function createJournal(root: string, meta: RolloutMeta): string {
  const dir = rolloutDir(root, meta.id);
  mkdirSync(path.join(dir, 'sites'), { recursive: true, mode: 0o700 });
  if (!existsSync(path.join(dir, 'rollout.json'))) writeFileAtomic(path.join(dir, 'rollout.json'), `${JSON.stringify(meta, null, 2)}\n`);
  return dir;
}

/**
 * The journal writer, a RolloutReporter. `siteOnly`: write only sites/<site>.jsonl (the Job's
 * pods share the directory; rollout.jsonl would have many writers).
 */
export class JournalWriter implements RolloutReporter {
  readonly #dir: string;
  readonly #siteOnly: boolean;
  readonly #fds = new Map<string, number>();
  #rolloutFd: number | undefined;

  constructor(dir: string, opts: { siteOnly?: boolean } = {}) {
    this.#dir = dir;
    this.#siteOnly = opts.siteOnly === true;
  }

  handle(e: RolloutEvent): void {
    const line = `${JSON.stringify(e)}\n`;
    if (e.type === 'site_start' || e.type === 'site_end' || isSiteRunEvent(e)) {
      const site = e.site;
      let fd = this.#fds.get(site);
      if (fd === undefined) {
        fd = openSync(path.join(this.#dir, 'sites', `${site}.jsonl`), 'a', 0o600);
        this.#fds.set(site, fd);
      }
      writeSync(fd, line);
      if (e.type === 'site_end') {
        closeSync(fd);
        this.#fds.delete(site);
      }
      return;
    }
    if (this.#siteOnly) return;
    this.#rolloutFd ??= openSync(path.join(this.#dir, 'rollout.jsonl'), 'a', 0o600);
    writeSync(this.#rolloutFd, line);
  }

  finish(): Promise<void> {
    for (const fd of this.#fds.values()) closeSync(fd);
    this.#fds.clear();
    if (this.#rolloutFd !== undefined) closeSync(this.#rolloutFd);
    this.#rolloutFd = undefined;
    return Promise.resolve();
  }
}

export interface Journal {
  readonly dir: string;
  readonly meta: RolloutMeta;
  readonly rolloutEvents: readonly RolloutEvent[];
  /** Per site, its events in order (sites never run have none). */
  readonly siteEvents: ReadonlyMap<string, readonly RolloutEvent[]>;
}

/** JSON Lines, tolerating a last line cut short by a kill (and blank lines). */
export function parseJsonLines(text: string, file = 'journal'): RolloutEvent[] {
  const out: RolloutEvent[] = [];
  const lines = text.split('\n');
  for (const [i, l] of lines.entries()) {
    if (l.trim() === '') continue;
    try {
      out.push(JSON.parse(l) as RolloutEvent);
    } catch (e) {
      if (i < lines.length - 1 && lines.slice(i + 1).some((x) => x.trim() !== '')) {
        throw new K3playError({ loc: { file, line: i + 1, col: 1 }, message: `damaged journal line: ${(e as Error).message}`, hint: 'only the last line of a journal file can be cut short (by a kill); this file was edited or corrupted' });
      }
    }
  }
  return out;
}

export function readJournal(dir: string): Journal {
  const metaFile = path.join(dir, 'rollout.json');
  if (!existsSync(metaFile)) throw new K3playError({ message: `no rollout journal in ${dir} (rollout.json is missing)`, hint: 'give a rollout id listed by `k3play report`' });
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as RolloutMeta;
  const read = (f: string) => (existsSync(f) ? parseJsonLines(readFileSync(f, 'utf8'), path.relative(process.cwd(), f) || f) : []);
  const siteEvents = new Map<string, RolloutEvent[]>();
  for (const s of meta.sites) {
    const events = read(path.join(dir, 'sites', `${s.name}.jsonl`));
    if (events.length > 0) siteEvents.set(s.name, events);
  }
  return { dir, meta, rolloutEvents: read(path.join(dir, 'rollout.jsonl')), siteEvents };
}

/** Rollout ids under root, oldest first. */
export function listRollouts(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((n) => existsSync(path.join(root, n, 'rollout.json')) && statSync(path.join(root, n)).isDirectory())
    .sort();
}

/** An id, a unique prefix of one, or `last`. */
export function findRollout(root: string, ref: string): string {
  const ids = listRollouts(root);
  if (ref === 'last' && ids.length > 0) return rolloutDir(root, ids.at(-1)!);
  const exact = ids.find((i) => i === ref);
  const matches = exact ? [exact] : ids.filter((i) => i.startsWith(ref));
  if (matches.length === 1) return rolloutDir(root, matches[0]!);
  const shown = path.relative(process.cwd(), root) || root;
  throw new K3playError({
    message: matches.length === 0 ? `no rollout "${ref}" in ${shown}` : `"${ref}" matches ${matches.length} rollouts: ${matches.join(', ')}`,
    hint: ids.length === 0 ? 'no rollout has been run from this directory yet' : `known rollouts (newest last): ${ids.slice(-5).join(', ')}; "last" is the newest`,
  });
}
