/**
 * The pure decision of the `file` module: (args, PathFacts) -> Changes. No I/O.
 *
 * Conventions:
 * - Paths are absolute; trailing slashes are dropped. States other than `link` and `absent`
 *   follow a symlink at `path` (like Ansible's follow: yes): attributes apply to its target.
 * - Order of changes: create (or replace), then ownership, then mode (chown may clear
 *   setuid/setgid bits, so chmod comes last).
 * - Diff: the FIRST change of a task carries one diff for the whole path. Its text is not file
 *   content (the file module never reads content) but a description of the path, one
 *   `key: value` per line: `state:` always, `src:` for links, and `mode:`/`owner:`/`group:` for
 *   the attributes the task manages. A missing path is `null`. Example: creating a directory
 *   with mode 0755 is before null, after "state: directory\nmode: 0755\n".
 * - touch on an existing path changes nothing (no mtime update): changed is reported only
 *   when the path is created or an attribute changes.
 */
import { TaskFailure, type Change, type FileDiff, type Step } from '../../src/module-api/index.js';
import type { FileArgs, FileState } from './args.js';
import { normalizeMode } from './file-mode.js';
import type { PathFacts, PathType, StatInfo } from './parse-stat.js';

interface Wanted {
  readonly path: string;
  readonly state: FileState;
  readonly mode: string | undefined;
  readonly owner: string | undefined;
  readonly group: string | undefined;
  readonly src: string | undefined;
  readonly force: boolean;
}

/** Absolute path without trailing slashes; TaskFailure otherwise. */
export function normalizePath(path: string): string {
  if (!path.startsWith('/')) throw new TaskFailure(`path "${path}" is not absolute`, 'file paths must start with /');
  return path.replace(/\/+$/, '') || '/';
}

export function wantedFromArgs(args: FileArgs): Wanted {
  const state = args.state ?? 'file';
  const w: Wanted = {
    path: normalizePath(args.path),
    state,
    mode: normalizeMode(args.mode),
    owner: args.owner,
    group: args.group,
    src: args.src,
    force: args.force ?? false,
  };
  if (state === 'link' && !w.src) throw new TaskFailure('state: link needs src (the link target)');
  if (state !== 'link' && w.src !== undefined) throw new TaskFailure(`src is only used with state: link (state is ${state})`);
  if (state === 'link' && w.mode !== undefined) {
    throw new TaskFailure('mode cannot be set on a symbolic link', 'set the mode of the target with a separate file task');
  }
  return w;
}

export function planFile(args: FileArgs, cur: PathFacts): Change[] {
  const w = wantedFromArgs(args);
  const changes = w.state === 'absent' ? planAbsent(w, cur) : w.state === 'link' ? planLink(w, cur) : planPresent(w, cur);
  if (changes.length === 0) return [];
  const [first, ...rest] = changes as [Change, ...Change[]];
  return [{ ...first, diff: pathDiff(w, cur) }, ...rest];
}

function planAbsent(w: Wanted, cur: PathFacts): Change[] {
  if (!cur.exists) return [];
  if (w.path === '/') throw new TaskFailure('refusing to remove /');
  const isDir = cur.self.type === 'directory';
  const step: Step = isDir ? { kind: 'remove', path: w.path, recursive: true } : { kind: 'remove', path: w.path };
  return [{ summary: `remove ${typeWord(cur.self.type)} ${w.path}`, steps: [step] }];
}

function planPresent(w: Wanted, cur: PathFacts): Change[] {
  const info = followed(w, cur);
  if (!info) {
    if (w.state === 'file') {
      throw new TaskFailure(`${w.path} does not exist`, 'state: file only sets attributes of an existing file; use state: touch to create an empty one, or copy/template to write content');
    }
    const create: Change =
      w.state === 'directory'
        ? { summary: `create directory ${w.path}`, steps: [exec(['mkdir', '-p', '--', w.path])] }
        : { summary: `create empty file ${w.path}`, steps: [exec(['touch', '--', w.path])] };
    return [create, ...attributeChanges(w, null, false)];
  }
  if (w.state === 'file' && info.type === 'directory') {
    throw new TaskFailure(`${w.path} is a directory, not a file`, 'use state: directory');
  }
  if (w.state === 'directory' && info.type !== 'directory') {
    throw new TaskFailure(`${w.path} exists and is a ${typeWord(info.type)}, not a directory`, 'remove it first (state: absent) if it should become a directory');
  }
  return attributeChanges(w, info, false);
}

function planLink(w: Wanted, cur: PathFacts): Change[] {
  const src = w.src as string;
  if (!cur.exists) {
    return [{ summary: `create link ${w.path} -> ${src}`, steps: [exec(['ln', '-s', '--', src, w.path])] }, ...attributeChanges(w, null, true)];
  }
  const self = cur.self;
  if (self.type === 'link') {
    if (cur.linkTarget === src) return attributeChanges(w, self, true);
    // A replaced link is a new inode: compare ownership as for a new path.
    return [
      { summary: `link ${w.path}: ${cur.linkTarget ?? '?'} -> ${src}`, steps: [exec(['ln', '-sfn', '--', src, w.path])] },
      ...attributeChanges(w, null, true),
    ];
  }
  if (!w.force) {
    throw new TaskFailure(`${w.path} exists and is a ${typeWord(self.type)}, not a link`, 'set force: true to replace it by the link (a directory is replaced only when empty)');
  }
  const steps =
    self.type === 'directory'
      ? [exec(['rmdir', '--', w.path]), exec(['ln', '-s', '--', src, w.path])] // rmdir fails on a non-empty directory: safe
      : [exec(['ln', '-sfn', '--', src, w.path])];
  return [{ summary: `replace ${typeWord(self.type)} ${w.path} by a link -> ${src}`, steps }, ...attributeChanges(w, null, true)];
}

/** Ownership then mode; `before` null = a path created by this task (attributes unknown). */
function attributeChanges(w: Wanted, before: StatInfo | null, isLink: boolean): Change[] {
  const changes: Change[] = [];
  const ownerDiffers = w.owner !== undefined && !(before && sameId(w.owner, before.owner, before.uid));
  const groupDiffers = w.group !== undefined && !(before && sameId(w.group, before.group, before.gid));
  const h = isLink ? ['-h'] : [];
  if (ownerDiffers || groupDiffers) {
    const parts: string[] = [];
    if (ownerDiffers) parts.push(`owner ${before ? `${before.owner} ` : ''}-> ${w.owner}`);
    if (groupDiffers) parts.push(`group ${before ? `${before.group} ` : ''}-> ${w.group}`);
    const argv = ownerDiffers
      ? ['chown', ...h, groupDiffers ? `${w.owner}:${w.group}` : (w.owner as string), '--', w.path]
      : ['chgrp', ...h, w.group as string, '--', w.path];
    changes.push({ summary: `${parts.join(', ')} (${w.path})`, steps: [exec(argv)] });
  }
  if (w.mode !== undefined && w.mode !== before?.mode) {
    changes.push({ summary: `mode ${before ? `${before.mode} ` : ''}-> ${w.mode} (${w.path})`, steps: [exec(['chmod', w.mode, '--', w.path])] });
  }
  return changes;
}

/** The StatInfo attributes apply to: the path, or a symlink's target (null: nothing there). */
function followed(w: Wanted, cur: PathFacts): StatInfo | null {
  if (!cur.exists) return null;
  if (cur.self.type !== 'link') return cur.self;
  if (cur.target === null) {
    throw new TaskFailure(`${w.path} is a dangling symbolic link (-> ${cur.linkTarget ?? '?'})`, 'create its target first, or remove the link (state: absent)');
  }
  return cur.target;
}

function sameId(wanted: string, name: string, id: number): boolean {
  return wanted === name || wanted === String(id);
}

function exec(argv: string[]): Step {
  return { kind: 'exec', cmd: argv };
}

function typeWord(t: PathType): string {
  return t === 'other' ? 'special file' : t;
}

/** The diff convention described at the top of this file. */
function pathDiff(w: Wanted, cur: PathFacts): FileDiff {
  let before: string | null = null;
  let info: StatInfo | null = null;
  if (cur.exists) {
    info = w.state === 'link' || w.state === 'absent' ? cur.self : (cur.target ?? cur.self);
    before = describe(info.type, w, info.type === 'link' ? cur.linkTarget : null, info);
  }
  // A numeric owner/group that names the current one is shown by its name: no false diff line.
  const owner = info && w.owner !== undefined && sameId(w.owner, info.owner, info.uid) ? info.owner : w.owner;
  const group = info && w.group !== undefined && sameId(w.group, info.group, info.gid) ? info.group : w.group;
  const afterType: PathType = w.state === 'link' ? 'link' : w.state === 'directory' ? 'directory' : 'file';
  const after = w.state === 'absent' ? null : describe(afterType, w, w.src ?? null, { mode: w.mode, owner, group });
  return { path: w.path, before, after };
}

function describe(
  type: PathType,
  w: Wanted,
  linkTarget: string | null,
  attrs: { mode?: string | undefined; owner?: string | undefined; group?: string | undefined },
): string {
  const lines = [`state: ${type}`];
  if (linkTarget !== null) lines.push(`src: ${linkTarget}`);
  if (w.state !== 'absent') {
    if (w.mode !== undefined && type !== 'link') lines.push(`mode: ${attrs.mode ?? '?'}`);
    if (w.owner !== undefined) lines.push(`owner: ${attrs.owner ?? '?'}`);
    if (w.group !== undefined) lines.push(`group: ${attrs.group ?? '?'}`);
  }
  return `${lines.join('\n')}\n`;
}
