/**
 * The pure decision shared by the file-content modules: (wanted content + attributes, what is
 * at the path) -> Changes. No I/O.
 *
 * Conventions:
 * - A content change is ONE Change: optional backup (an exec step; the timestamp is taken by
 *   `date` on the host, so plan stays pure), then a PutStep (atomic; carries `validate`, mode,
 *   owner and group). An existing file keeps its owner/group unless the task sets them (the put
 *   passes the current ones), and its mode (the put keeps it).
 * - Same content, other attributes: a chown/chgrp Change, then a chmod Change (as `file` does).
 * - Every content change has a diff: text as is; "(binary, N bytes)" for non-UTF-8 or NUL
 *   bytes; "(secret content changed)" when the content came from a Secret; "(N bytes, not
 *   shown)" for a file read by sha256 only.
 */
import { createHash } from 'node:crypto';
import { rawScript, sh, TaskFailure, type Change, type FileDiff, type PutStep, type Step } from '../../src/module-api/index.js';
import type { WantedAttrs } from './content-args.js';
import type { ContentState, FileAttrs } from './content-read.js';

export interface ContentTarget extends WantedAttrs {
  readonly path: string;
  /** The wanted bytes; null = leave the content as it is (copy with force: false on an existing file). */
  readonly content: Buffer | null;
  /** The content came from a Secret: never show it in a diff. */
  readonly secret: boolean;
  /** Summary of a content change (default: "create PATH" / "update PATH"). */
  readonly summary?: string;
}

/** A regular file at the path, or nothing; anything else is a TaskFailure. */
export function fileOrAbsent(path: string, cur: ContentState): Extract<ContentState, { kind: 'file' }> | null {
  switch (cur.kind) {
    case 'absent':
      return null;
    case 'file':
      return cur;
    case 'directory':
      throw new TaskFailure(`${path} is a directory`, 'give the path of a file');
    case 'dangling':
      throw new TaskFailure(`${path} is a dangling symbolic link`, 'remove the link or create its target first');
    case 'other':
      throw new TaskFailure(`${path} is a ${cur.type}, not a regular file`);
  }
}

export function planContent(t: ContentTarget, cur: ContentState): Change[] {
  const file = fileOrAbsent(t.path, cur);
  const changes: Change[] = [];
  if (t.content !== null && !(file && sameContent(t.content, file))) {
    const steps: Step[] = [];
    if (t.backup && file) steps.push(backupStep(t.path));
    const owner = t.owner ?? (file ? idName(file.attrs.owner, file.attrs.uid) : undefined);
    const group = t.group ?? (file ? idName(file.attrs.group, file.attrs.gid) : undefined);
    const put: PutStep = {
      kind: 'put',
      path: t.path,
      content: t.content,
      ...(t.mode !== undefined ? { mode: t.mode } : {}),
      ...(owner !== undefined ? { owner } : {}),
      ...(group !== undefined ? { group } : {}),
      ...(t.validate !== undefined ? { validate: t.validate } : {}),
    };
    steps.push(put);
    const attrs = file ? attrParts(t, file.attrs) : [];
    const summary = (t.summary ?? `${file ? 'update' : 'create'} ${t.path}`) + (attrs.length ? `; ${attrs.join(', ')}` : '');
    changes.push({ summary, steps, diff: contentDiff(t, file) });
    return changes;
  }
  if (!file) return changes;
  const a = file.attrs;
  const ownerDiffers = t.owner !== undefined && !sameId(t.owner, a.owner, a.uid);
  const groupDiffers = t.group !== undefined && !sameId(t.group, a.group, a.gid);
  if (ownerDiffers || groupDiffers) {
    const argv = ownerDiffers
      ? ['chown', groupDiffers ? `${t.owner}:${t.group}` : (t.owner as string), '--', t.path]
      : ['chgrp', t.group as string, '--', t.path];
    changes.push({ summary: `${attrParts({ ...t, mode: undefined }, a).join(', ')} (${t.path})`, steps: [{ kind: 'exec', cmd: argv }] });
  }
  if (t.mode !== undefined && t.mode !== a.mode) {
    changes.push({ summary: `mode ${a.mode} -> ${t.mode} (${t.path})`, steps: [{ kind: 'exec', cmd: ['chmod', t.mode, '--', t.path] }] });
  }
  return changes;
}

/** `cp -p PATH PATH.<host time>~`: the timestamp is evaluated on the host at apply time. */
export function backupStep(path: string): Step {
  return { kind: 'exec', cmd: sh`cp -p -- ${path} ${path}.${rawScript('"$(date +%Y%m%d%H%M%S)~"')}` };
}

function sameContent(want: Buffer, file: Extract<ContentState, { kind: 'file' }>): boolean {
  if (file.content !== null) return want.equals(file.content);
  return want.length === file.attrs.size && createHash('sha256').update(want).digest('hex') === file.sha256;
}

function attrParts(t: { mode?: string | undefined; owner?: string | undefined; group?: string | undefined }, a: FileAttrs): string[] {
  const parts: string[] = [];
  if (t.owner !== undefined && !sameId(t.owner, a.owner, a.uid)) parts.push(`owner ${a.owner} -> ${t.owner}`);
  if (t.group !== undefined && !sameId(t.group, a.group, a.gid)) parts.push(`group ${a.group} -> ${t.group}`);
  if (t.mode !== undefined && t.mode !== a.mode) parts.push(`mode ${a.mode} -> ${t.mode}`);
  return parts;
}

function sameId(wanted: string, name: string, id: number): boolean {
  return wanted === name || wanted === String(id);
}

/** The name stat printed, or the number when the id has no name. */
function idName(name: string, id: number): string {
  return name === 'UNKNOWN' ? String(id) : name;
}

function contentDiff(t: ContentTarget, file: Extract<ContentState, { kind: 'file' }> | null): FileDiff {
  const after = t.content as Buffer;
  if (t.secret) return { path: t.path, before: file ? '(secret content)\n' : null, after: '(secret content changed)\n' };
  const before = file === null ? null : file.content === null ? `(${file.attrs.size} bytes, not shown)\n` : showable(file.content);
  return { path: t.path, before, after: showable(after) };
}

/** Text as is; a placeholder line for binary content. */
export function showable(b: Buffer): string {
  const text = asText(b);
  return text ?? `(binary, ${b.length} bytes)\n`;
}

/** The content as UTF-8 text, or null when it is binary (invalid UTF-8 or a NUL byte). */
export function asText(b: Buffer): string | null {
  if (b.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(b);
  } catch {
    return null;
  }
}
