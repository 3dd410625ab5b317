/**
 * The pure text edit of `blockinfile`, following Ansible's blockinfile.py: the block is the
 * lines between the LAST line equal to the begin marker and the LAST line equal to the end
 * marker (both included). present: an existing block is replaced in place (unchanged when its
 * lines are the same); without one, the block goes after the LAST line matching insertafter
 * (before the last matching insertbefore; BOF), at the end otherwise. absent (or an empty
 * block): the block and its markers are removed. Every other byte stays as it was; block lines
 * get the file's line ending (an updated block keeps its own). No I/O; table-tested in blockinfile.test.ts.
 */
import type { EditResult } from '../copy/plan-edit.js';
import { fileEol, joinLines, splitLines, terminateLast, type Line } from '../lineinfile/text-lines.js';

export interface BlockEdit {
  readonly state: 'present' | 'absent';
  readonly block: string;
  /** The marker line with `{mark}`, e.g. "# {mark} K3PLAY MANAGED BLOCK". */
  readonly marker: string;
  readonly markerBegin: string;
  readonly markerEnd: string;
  readonly insertafter?: RegExp | 'EOF' | undefined;
  readonly insertbefore?: RegExp | 'BOF' | undefined;
}

export const DEFAULT_MARKER = '# {mark} K3PLAY MANAGED BLOCK';

/** The block's lines between the markers: one final newline of `block` is not an extra line. */
export function blockLines(block: string): string[] {
  if (block === '') return [];
  return block.replace(/\r?\n$/, '').split(/\r?\n/);
}

export function editBlock(text: string, e: BlockEdit): EditResult {
  const begin = e.marker.split('{mark}').join(e.markerBegin);
  const end = e.marker.split('{mark}').join(e.markerEnd);
  const present = e.state === 'present' && e.block !== '';
  const wanted = present ? [begin, ...blockLines(e.block), end] : [];
  const lines = splitLines(text);
  let eol = fileEol(lines);
  let n0 = -1;
  let n1 = -1;
  for (const [i, l] of lines.entries()) {
    if (l.text === begin) n0 = i;
    if (l.text === end) n1 = i;
  }
  let at: number;
  let summary: string;
  if (n0 === -1 || n1 === -1) {
    if (!present) return null;
    at = insertPosition(lines, e);
    summary = 'block inserted';
  } else {
    const lo = Math.min(n0, n1);
    const hi = Math.max(n0, n1);
    const old = lines.slice(lo, hi + 1).map((l) => l.text);
    if (old.length === wanted.length && old.every((t, i) => t === wanted[i])) return null;
    // A block updated in place keeps the line ending it had (mixed files stay as they were).
    eol = (lines[lo] as Line).eol || eol;
    lines.splice(lo, hi - lo + 1);
    at = lo;
    summary = present ? 'block updated' : 'block removed';
  }
  if (wanted.length > 0 && at > 0 && (lines[at - 1] as Line).eol === '') {
    if (at === lines.length) terminateLast(lines, eol);
    else lines[at - 1] = { text: (lines[at - 1] as Line).text, eol };
  }
  lines.splice(at, 0, ...wanted.map((t): Line => ({ text: t, eol })));
  return { text: joinLines(lines), summary };
}

function insertPosition(lines: readonly Line[], e: BlockEdit): number {
  const re = e.insertafter instanceof RegExp ? e.insertafter : e.insertbefore instanceof RegExp ? e.insertbefore : null;
  if (re) {
    let last = -1;
    for (const [i, l] of lines.entries()) if (re.test(l.text)) last = i;
    if (last === -1) return lines.length;
    return e.insertafter instanceof RegExp ? last + 1 : last;
  }
  if (e.insertbefore === 'BOF') return 0;
  return lines.length;
}
