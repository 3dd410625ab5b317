/**
 * The pure text edit of `lineinfile`, following Ansible's lineinfile.py step by step:
 * - present: the LAST line matching `regexp` (the first with firstmatch) is replaced by `line`
 *   (with backrefs: `line` expanded with the match's groups). No regexp match: if `line` is
 *   already in the file, nothing changes; else it is inserted after the last line matching
 *   `insertafter` (before the last matching `insertbefore`; BOF/EOF), at the end when that
 *   matches nothing. backrefs with no match changes nothing.
 * - absent: every line matching `regexp` (or equal to `line`) is removed.
 * Every other byte stays as it was: a replaced line keeps its line ending, new lines get the
 * file's ending, and a final line without newline gets one only when a line is added after it.
 * No I/O; table-tested in lineinfile.test.ts.
 */
import type { EditResult } from '../copy/plan-edit.js';
import { expandTemplate } from './python-regex.js';
import { fileEol, joinLines, splitLines, terminateLast, type Line } from './text-lines.js';

export interface LineEdit {
  readonly state: 'present' | 'absent';
  readonly line?: string | undefined;
  readonly regexp?: RegExp | undefined;
  readonly insertafter?: RegExp | 'EOF' | 'BOF' | undefined;
  readonly insertbefore?: RegExp | 'BOF' | undefined;
  readonly backrefs?: boolean | undefined;
  readonly firstmatch?: boolean | undefined;
}

export function editLines(text: string, e: LineEdit): EditResult {
  return e.state === 'absent' ? removeLines(text, e) : presentLine(text, e);
}

function removeLines(text: string, e: LineEdit): EditResult {
  const lines = splitLines(text);
  const keep = lines.filter((l) => !(e.regexp ? e.regexp.test(l.text) : l.text === e.line));
  const n = lines.length - keep.length;
  return n === 0 ? null : { text: joinLines(keep), summary: `${n} line${n === 1 ? '' : 's'} removed` };
}

function presentLine(text: string, e: LineEdit): EditResult {
  const line = e.line ?? '';
  const lines = splitLines(text);
  const eol = fileEol(lines);
  const ins = e.insertafter instanceof RegExp ? e.insertafter : e.insertbefore instanceof RegExp ? e.insertbefore : null;
  let found = -1;
  let insertAt = -1;
  let match: RegExpExecArray | null = null;
  if (e.regexp) {
    for (const [i, l] of lines.entries()) {
      const m = e.regexp.exec(l.text);
      if (m) {
        found = i;
        match = m;
        if (e.firstmatch) break;
      }
    }
  }
  if (!match) {
    for (const [i, l] of lines.entries()) {
      if (l.text === line) found = i;
      else if (ins && ins.test(l.text)) {
        insertAt = e.insertafter instanceof RegExp ? i + 1 : i;
        if (e.firstmatch) break;
      }
    }
  }
  const added = (at: number): EditResult => {
    if (at >= lines.length) terminateLast(lines, eol);
    lines.splice(at, 0, { text: line, eol });
    return { text: joinLines(lines), summary: 'line added' };
  };
  if (found !== -1) {
    const wanted = e.backrefs && match ? expandTemplate(line, [...match], match.groups) : line;
    const cur = lines[found] as Line;
    if (cur.text === wanted) return null;
    lines[found] = { text: wanted, eol: cur.eol };
    return { text: joinLines(lines), summary: 'line replaced' };
  }
  if (e.backrefs) return null; // cannot build the line without a match
  if (e.insertbefore === 'BOF' || e.insertafter === 'BOF') return added(0);
  if (e.insertafter === 'EOF' || insertAt === -1) return added(lines.length);
  if (e.insertafter instanceof RegExp && insertAt === lines.length && lines[insertAt - 1]?.text === line) return null;
  if (e.insertafter instanceof RegExp && lines[insertAt]?.text === line) return null;
  return added(insertAt);
}
