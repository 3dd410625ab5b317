/**
 * A unified diff of one FileDiff (module-api), for `--diff`: `--- before: PATH` /
 * `+++ after: PATH` headers ("(absent)" appended when that side does not exist), hunks from the
 * `diff` package, `+`/`-` lines colored when asked. Pure formatting; the text is already masked
 * (the event bus masks diffs before any reporter sees them).
 */
import { createTwoFilesPatch } from 'diff';
import { palette } from './ansi-style.js';
import type { FileDiff } from '../module-api/types.js';

function header(side: 'before' | 'after', path: string, content: string | null): string {
  return `${side}: ${path}${content === null ? ' (absent)' : ''}`;
}

/** The diff text, newline-terminated; '' when both sides are equal. */
export function unifiedDiff(d: FileDiff, color: boolean): string {
  if (d.before === d.after) return '';
  const patch = createTwoFilesPatch(
    header('before', d.path, d.before),
    header('after', d.path, d.after),
    d.before ?? '',
    d.after ?? '',
    undefined,
    undefined,
    { context: 3 },
  );
  const p = palette(color);
  const lines = patch.split('\n');
  // The package starts with an "=====" separator line (and "Index:" for equal names): drop them.
  while (lines.length > 0 && !lines[0]!.startsWith('--- ')) lines.shift();
  if (lines.at(-1) === '') lines.pop();
  return (
    lines
      .map((line) => {
        if (line.startsWith('--- ') || line.startsWith('+++ ')) return p.bold(line);
        if (line.startsWith('@@')) return p.cyan(line);
        if (line.startsWith('+')) return p.green(line);
        if (line.startsWith('-')) return p.red(line);
        return line;
      })
      .join('\n') + '\n'
  );
}
