/**
 * What the `package` module knows about a host after its one read, and the pure parser of the
 * read script's whole output into it (sections split by read-script.ts, parsed by parse-apt.ts
 * and parse-rpm.ts). No I/O.
 */
import type { PackageManager } from './args.js';
import { parseAptPolicy, parseDpkgQuery, parseShowhold, type AptPolicy, type DpkgEntry } from './parse-apt.js';
import { parseRepoquery, parseRpmQuery, parseVersionlockList } from './parse-rpm.js';
import { splitSections } from './read-script.js';

export interface AptCurrent {
  readonly manager: 'apt';
  /** Host clock, seconds since the epoch. */
  readonly now: number;
  readonly installed: Readonly<Record<string, DpkgEntry>>;
  readonly held: readonly string[];
  readonly policy: Readonly<Record<string, AptPolicy>>;
  /** Newest mtime of the update-success stamp and the lists directory; null when neither exists. */
  readonly cacheMtime: number | null;
}

export interface RpmCurrent {
  readonly manager: 'dnf' | 'yum';
  readonly now: number;
  /** name -> epoch:version-release. */
  readonly installed: Readonly<Record<string, string>>;
  /** Versionlocked names; 'missing': no versionlock plugin; null: not asked (hold not given). */
  readonly locked: readonly string[] | 'missing' | null;
  /** name -> newest available epoch:version-release; null: not asked (state is not latest). */
  readonly candidates: Readonly<Record<string, string>> | null;
  readonly cacheMtime: number | null;
}

export type PackageCurrent = AptCurrent | RpmCurrent | { readonly manager: 'none' };

function stampOf(text: string | undefined): number | null {
  const times = (text ?? '')
    .split('\n')
    .filter((l) => /^\d+$/.test(l.trim()))
    .map(Number);
  return times.length === 0 ? null : Math.max(...times);
}

export function parsePackageRead(out: string): PackageCurrent {
  const { heads, bodies } = splitSections(out);
  const manager = heads.get('manager');
  if (manager === undefined) throw new Error('no @@manager line in the output');
  if (manager === 'none') return { manager: 'none' };
  if (!heads.has('end')) throw new Error('the read script stopped early (no @@end line)');
  const now = Number(heads.get('now'));
  if (!Number.isFinite(now) || now <= 0) throw new Error(`bad clock value ${JSON.stringify(heads.get('now'))}`);
  if (manager === 'apt') {
    return {
      manager,
      now,
      installed: parseDpkgQuery(bodies.get('dpkg') ?? ''),
      held: parseShowhold(bodies.get('hold') ?? ''),
      policy: parseAptPolicy(bodies.get('policy') ?? ''),
      cacheMtime: stampOf(bodies.get('stamp')),
    };
  }
  if (manager !== 'dnf' && manager !== 'yum') throw new Error(`unknown package manager ${JSON.stringify(manager)}`);
  return {
    manager,
    now,
    installed: parseRpmQuery(bodies.get('rpm') ?? ''),
    locked: heads.has('lock') ? parseVersionlockList(bodies.get('lock') ?? '', Number(heads.get('lockrc'))) : null,
    candidates: heads.has('candidates') ? parseRepoquery(bodies.get('candidates') ?? '') : null,
    cacheMtime: stampOf(bodies.get('stamp')),
  };
}

export type { PackageManager };
