/**
 * Regular expressions as users copy them from Ansible playbooks (Python `re`), run by the JS
 * engine: `(?P<name>...)` and `(?P=name)` are translated, everything else is JS syntax (which
 * covers the common subset). Replacement templates accept both Python (`\1`, `\g<1>`,
 * `\g<name>`) and JS (`$1`, `$<name>`, `$&`) backreferences. Pure.
 */
import { TaskFailure } from '../../src/module-api/index.js';

/** A compiled pattern; a TaskFailure naming the argument on bad syntax. */
export function compilePattern(pattern: string, flags: string, arg: string): RegExp {
  const js = pattern.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  try {
    return new RegExp(js, flags);
  } catch (err) {
    throw new TaskFailure(`${arg}: invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}`, 'JavaScript regular expression syntax; escape special characters like . ( ) [ with a backslash');
  }
}

/** The number of capture groups of a pattern. */
export function groupCount(re: RegExp): number {
  return new RegExp(`${re.source}|`).exec('')!.length - 1;
}

/**
 * Expand a replacement template with a match's groups (index 0 = whole match). Unknown or
 * unmatched groups expand to "". `\\` is a backslash, `\n`/`\t` a newline/tab, `$$` a dollar.
 */
export function expandTemplate(template: string, groups: readonly (string | undefined)[], named: Readonly<Record<string, string | undefined>> | undefined): string {
  return template.replace(/\\g<(\w+)>|\\(\d{1,2})|\\([\\nt])|\$(\d{1,2})|\$<(\w+)>|\$([&$])/g, (_m, g: string | undefined, pyNum: string | undefined, esc: string | undefined, jsNum: string | undefined, jsName: string | undefined, sym: string | undefined) => {
    if (esc !== undefined) return esc === 'n' ? '\n' : esc === 't' ? '\t' : '\\';
    if (sym !== undefined) return sym === '$' ? '$' : (groups[0] ?? '');
    const ref = g ?? pyNum ?? jsNum ?? jsName ?? '';
    if (/^\d+$/.test(ref)) return groups[Number(ref)] ?? '';
    return named?.[ref] ?? '';
  });
}
