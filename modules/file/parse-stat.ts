/**
 * Pure parser of the stat-script.ts output into PathFacts. No I/O; tested on captured outputs
 * in testdata/*.txt. Throws a plain Error on output it does not understand (read turns that
 * into a TaskFailure that shows the output).
 */
import { statMode } from './file-mode.js';

export type PathType = 'file' | 'directory' | 'link' | 'other';

export interface StatInfo {
  readonly type: PathType;
  /** 4-digit octal, e.g. "0644". */
  readonly mode: string;
  /** User name, or "UNKNOWN" when the uid has no name. */
  readonly owner: string;
  readonly uid: number;
  readonly group: string;
  readonly gid: number;
}

export type PathFacts =
  | { readonly exists: false }
  | {
      readonly exists: true;
      /** The path itself, not followed. */
      readonly self: StatInfo;
      /** The symlink's target as stored, when `self` is a link. */
      readonly linkTarget: string | null;
      /** What a symlink points to; null for a dangling link or when `self` is not a link. */
      readonly target: StatInfo | null;
    };

export function parseStat(output: string): PathFacts {
  const lines = output.split('\n').filter((l) => l !== '');
  if (lines.length === 1 && lines[0] === 'absent') return { exists: false };
  let self: StatInfo | undefined;
  let target: StatInfo | null = null;
  let linkTarget: string | null = null;
  for (const line of lines) {
    const [tag, ...rest] = line.split('\t');
    if (tag === 'link') linkTarget = rest.join('\t');
    else if (tag === 'self') self = parseInfo(rest, line);
    else if (tag === 'target') target = parseInfo(rest, line);
    else throw new Error(`unexpected stat output line: ${JSON.stringify(line)}`);
  }
  if (!self) throw new Error(`stat output has no "self" record: ${JSON.stringify(output)}`);
  return { exists: true, self, linkTarget, target };
}

function parseInfo(fields: string[], line: string): StatInfo {
  const [kind, mode, owner, uid, group, gid] = fields;
  if (fields.length !== 6 || !kind || !mode || !/^[0-7]{1,4}$/.test(mode) || !owner || !group || !/^\d+$/.test(uid ?? '') || !/^\d+$/.test(gid ?? '')) {
    throw new Error(`unexpected stat output line: ${JSON.stringify(line)}`);
  }
  return { type: pathType(kind), mode: statMode(mode), owner, uid: Number(uid), group, gid: Number(gid) };
}

/** `stat %F` words -> PathType. */
function pathType(kind: string): PathType {
  switch (kind) {
    case 'regular file':
    case 'regular empty file':
      return 'file';
    case 'directory':
      return 'directory';
    case 'symbolic link':
      return 'link';
    default:
      return 'other';
  }
}
