/**
 * The ansible-playbook-like text of single events, shared by the plain reporter (which prints it
 * as events arrive) and the listr reporter (which prints the details under its live view):
 * banners, `ok: [h1]`, `changed: [h1] => summary`, `failed: [h1] => msg` + `  hint: ...`,
 * `skipping: [h1]`, `fatal: [h1]: UNREACHABLE! => reason`, diffs, and `-v` command output.
 * Pure functions from an event to lines: no I/O, no state.
 */
import { palette, type Palette } from './ansi-style.js';
import { banner } from './recap.js';
import { unifiedDiff } from './unified-diff.js';
import type { HostResultEvent, PlayStartEvent, TaskStartEvent, WarningEvent } from './run-event.js';

export interface LineOptions {
  readonly color: boolean;
  /** 0 normal; 1 (-v) adds command stdout/stderr and skip reasons; 2 (-vv) adds task paths. */
  readonly verbose: number;
  /** Print unified diffs of changes that carry one. */
  readonly diff: boolean;
}

export function playBanner(e: PlayStartEvent): string {
  const batch = e.batch ? ` (batch ${e.batch.index}/${e.batch.count})` : '';
  return banner(`PLAY [${e.play}]${batch}`);
}

export function taskBanner(e: TaskStartEvent): string {
  return banner(`${e.handler ? 'RUNNING HANDLER' : 'TASK'} [${e.task}]`);
}

export function warningLine(e: WarningEvent, color: boolean): string {
  const host = e.host ? `[${e.host}] ` : '';
  return palette(color).magenta(`[WARNING]: ${host}${e.message}`);
}

/** Indent every line of a multi-line text (trailing newline dropped). */
export function indent(text: string, prefix: string): string[] {
  return text.replace(/\n$/, '').split('\n').map((l) => (l === '' ? l : prefix + l));
}

/** `[h1]`, `[h1 -> h2]` when delegated. */
function hostLabel(e: HostResultEvent): string {
  return e.delegatedTo ? `[${e.host} -> ${e.delegatedTo}]` : `[${e.host}]`;
}

/** Tags after the host label: `(item=x)`, `(check)`, `(rc=2)`, `(after pending change)`. */
function tags(e: HostResultEvent): string {
  const out: string[] = [];
  if (e.item !== undefined) out.push(`(item=${e.item})`);
  if (e.check) out.push('(check)');
  if (e.afterPendingChange) out.push('(after pending change)');
  if (e.rc !== undefined && e.rc !== 0 && (e.status === 'failed' || e.status === 'unreachable')) {
    out.push(`(rc=${e.rc})`);
  }
  return out.length > 0 ? ` ${out.join(' ')}` : '';
}

/** ` => text` for a one-line text; multi-line texts continue indented on the next lines. */
function arrow(text: string | undefined): { head: string; rest: string[] } {
  if (text === undefined || text === '') return { head: '', rest: [] };
  const [first = '', ...rest] = text.replace(/\n$/, '').split('\n');
  return { head: ` => ${first}`, rest: rest.map((l) => `    ${l}`) };
}

function statusHead(e: HostResultEvent, p: Palette): { word: string; paint: (s: string) => string } {
  switch (e.status) {
    case 'ok':
      return { word: 'ok', paint: p.green };
    case 'changed':
      return { word: 'changed', paint: p.yellow };
    case 'skipped':
      return { word: 'skipping', paint: p.cyan };
    case 'failed':
      return { word: 'failed', paint: p.red };
    case 'unreachable':
      return { word: 'fatal', paint: p.red };
  }
}

/** The first line and details of one host result, as printed by the plain reporter. */
export function hostResultLines(e: HostResultEvent, o: LineOptions): string[] {
  const p = palette(o.color);
  const { word, paint } = statusHead(e, p);
  const label = `${word}: ${hostLabel(e)}${tags(e)}`;
  const lines: string[] = [];

  if (e.status === 'unreachable') {
    const a = arrow(e.msg);
    lines.push(paint(`fatal: ${hostLabel(e)}: UNREACHABLE!${tags(e)}${a.head}`), ...a.rest.map(paint));
  } else if (e.status === 'changed' && e.changes.length > 0) {
    const [only] = e.changes;
    if (e.changes.length === 1 && only && !only.summary.includes('\n')) {
      lines.push(paint(`${label} => ${only.summary}`));
    } else {
      lines.push(paint(`${label} => ${e.changes.length} changes`));
      for (const c of e.changes) lines.push(...indent(c.summary, '    ').map((l, i) => (i === 0 ? `  - ${l.trimStart()}` : l)));
    }
    if (e.msg) lines.push(...indent(e.msg, '  '));
  } else if (e.status === 'skipped') {
    // The routine reason (a false `when`) only with -v; any other reason always: it tells why.
    const routine = e.msg === undefined || /was false$/.test(e.msg);
    const a = o.verbose > 0 || !routine ? arrow(e.msg) : { head: '', rest: [] };
    lines.push(paint(`${label}${a.head}`), ...a.rest);
  } else {
    const a = arrow(e.msg);
    lines.push(paint(`${label}${a.head}`), ...a.rest);
  }

  if (e.hint) lines.push(...indent(`hint: ${e.hint}`, '  ').map(p.dim));
  if (e.status === 'failed' && e.ignored) lines.push(p.cyan('...ignoring'));

  const failing = e.status === 'failed' || e.status === 'unreachable';
  const showStdout = o.verbose > 0 && e.stdout !== undefined && e.stdout !== '';
  // On failure stderr is the answer to "why": shown without -v.
  const showStderr = (o.verbose > 0 || failing) && e.stderr !== undefined && e.stderr !== '';
  if (showStdout) lines.push('  stdout:', ...indent(e.stdout ?? '', '    '));
  if (showStderr) lines.push('  stderr:', ...indent(e.stderr ?? '', '    '));

  if (o.diff) {
    for (const c of e.changes) {
      if (c.diff) lines.push(...indent(unifiedDiff(c.diff, o.color), ''));
    }
  }
  return lines;
}
