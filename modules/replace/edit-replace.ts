/**
 * The pure text edit of `replace`, following Ansible's replace.py: every match of `regexp`
 * (multiline: ^ and $ match at each line) in the section is replaced by `replace`, with
 * backreferences (\1, \g<name>, $1). The section is the whole text, or what lies between the
 * first match of `after` and the next match of `before` (dot matches newlines in these two);
 * when they do not match, nothing changes. No I/O; table-tested in replace.test.ts.
 */
import type { EditResult } from '../copy/plan-edit.js';
import { expandTemplate, groupCount } from '../lineinfile/python-regex.js';

export interface ReplaceEdit {
  /** Compiled with the g and m flags. */
  readonly regexp: RegExp;
  readonly replace: string;
  /** Compiled with the s and d flags; its group `k3playSection` is the section. */
  readonly section?: RegExp | undefined;
}

/** The section pattern of after/before (sources, already valid), or undefined. */
export function sectionSource(after: string | undefined, before: string | undefined): string | undefined {
  if (after !== undefined && before !== undefined) return `(?:${after})(?<k3playSection>.*?)(?:${before})`;
  if (after !== undefined) return `(?:${after})(?<k3playSection>.*)`;
  if (before !== undefined) return `(?<k3playSection>.*)(?:${before})`;
  return undefined;
}

export function editReplace(text: string, e: ReplaceEdit): EditResult {
  let start = 0;
  let end = text.length;
  if (e.section) {
    const m = e.section.exec(text);
    const span = m?.indices?.groups?.['k3playSection'];
    if (!span) return null;
    [start, end] = span;
  }
  const section = text.slice(start, end);
  const groups = groupCount(e.regexp);
  let count = 0;
  const replaced = section.replace(e.regexp, (...a: unknown[]) => {
    count++;
    const named = typeof a[a.length - 1] === 'object' ? (a[a.length - 1] as Record<string, string | undefined>) : undefined;
    return expandTemplate(e.replace, a.slice(0, groups + 1) as (string | undefined)[], named);
  });
  if (replaced === section) return null;
  return { text: text.slice(0, start) + replaced + text.slice(end), summary: `${count} replacement${count === 1 ? '' : 's'}` };
}
