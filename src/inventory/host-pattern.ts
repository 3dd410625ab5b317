/**
 * Ansible host patterns, for a play's `hosts:` and for `--limit`:
 *   names and groups, `all` / `*`, `*` `?` `[abc]` wildcards, `~regex` (anchored at the start,
 *   as Python's re.match), `a:b` or `a,b` union, `a:&b` intersection, `a:!b` exclusion,
 *   `group[0]`, `group[-1]`, `group[0:2]` (inclusive end, as Ansible), `group[1:]`.
 * Evaluation order is Ansible's: all plain terms (union), then `&` terms, then `!` terms; a
 * pattern of only `&`/`!` terms starts from `all`. Results are in inventory order. A term
 * that matches nothing is a Problem with a did-you-mean (Ansible only warns; a typo in
 * --limit must not silently select nothing). Pure except for `--limit @file`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Problem } from '../errors/k3play-error.js';
import type { SourceLocation } from '../errors/source-location.js';
import { didYouMean } from '../errors/did-you-mean.js';
import { groupHostNames } from './group-members.js';
import type { Inventory } from './types.js';

export interface SelectOptions {
  /** Where the pattern was written (a play's `hosts:`), for problems. */
  readonly loc?: SourceLocation;
  /** e.g. `play "install k3s"` or `--limit`. */
  readonly context?: string;
}

export interface Selection {
  readonly hosts: string[];
  readonly problems: Problem[];
}

/** `a:b,c:&d` -> ['a', 'b', 'c', '&d']; colons inside [..] and IPv6 addresses do not split. */
export function splitHostPattern(pattern: string): string[] {
  if (pattern.includes(',')) return pattern.split(',').flatMap(splitHostPattern);
  const t = pattern.trim();
  if (/^[0-9a-fA-F]*:[0-9a-fA-F:]*:[0-9a-fA-F]*$/.test(t) && t.includes('::')) return [t];
  return (t.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? []).map((s) => s.trim()).filter((s) => s !== '');
}

export function selectHosts(inv: Inventory, pattern: string, opts: SelectOptions = {}): Selection {
  const problems: Problem[] = [];
  const terms = splitHostPattern(pattern);
  const plain = terms.filter((t) => !t.startsWith('&') && !t.startsWith('!'));
  const ands = terms.filter((t) => t.startsWith('&'));
  const nots = terms.filter((t) => t.startsWith('!'));
  if (plain.length === 0) plain.push('all');

  const selected = new Set<string>();
  for (const t of plain) for (const h of matchTerm(inv, t, problems, opts)) selected.add(h);
  let result = [...selected];
  for (const t of ands) {
    const keep = new Set(matchTerm(inv, t.slice(1), problems, opts));
    result = result.filter((h) => keep.has(h));
  }
  for (const t of nots) {
    const drop = new Set(matchTerm(inv, t.slice(1), problems, opts));
    result = result.filter((h) => !drop.has(h));
  }
  const order = new Map([...inv.hosts.keys()].map((h, i) => [h, i]));
  result.sort((a, b) => order.get(a)! - order.get(b)!);
  return { hosts: result, problems };
}

/**
 * `--limit`: the hosts of `hosts` that also match `limit`. `@file` reads one pattern per line
 * (blank lines and `#` comments skipped), relative to `cwd`.
 */
export function limitHosts(
  inv: Inventory,
  hosts: readonly string[],
  limit: string,
  opts: SelectOptions & { readonly cwd?: string } = {},
): Selection {
  let pattern = limit;
  const context = opts.context ?? '--limit';
  if (limit.startsWith('@')) {
    const file = limit.slice(1);
    let text: string;
    try {
      text = readFileSync(path.resolve(opts.cwd ?? process.cwd(), file), 'utf8');
    } catch {
      return { hosts: [], problems: [{ context, message: `limit file not found: ${file}`, hint: 'give --limit @FILE with one host or pattern per line' }] };
    }
    pattern = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'))
      .join(',');
    if (pattern === '') return { hosts: [], problems: [] };
  }
  const sel = selectHosts(inv, pattern, { ...opts, context });
  const allowed = new Set(sel.hosts);
  return { hosts: hosts.filter((h) => allowed.has(h)), problems: sel.problems };
}

const SUBSCRIPT = /^(.+)\[(?:(-?\d+)|(\d*):(\d*))\]$/;

function matchTerm(inv: Inventory, term: string, problems: Problem[], opts: SelectOptions): string[] {
  let base = term;
  let sub: { index: number } | { start: number; end: number | undefined } | undefined;
  if (!term.startsWith('~')) {
    const m = SUBSCRIPT.exec(term);
    if (m && !inv.hosts.has(term)) {
      base = m[1]!;
      sub = m[2] !== undefined ? { index: Number(m[2]) } : { start: m[3] === '' ? 0 : Number(m[3]), end: m[4] === '' ? undefined : Number(m[4]) };
    }
  }
  const found = resolveBase(inv, base, problems, opts);
  if (found === undefined) return [];
  if (!sub) return found;
  if ('index' in sub) {
    const i = sub.index < 0 ? found.length + sub.index : sub.index;
    const h = found[i];
    if (h === undefined) {
      problems.push({ loc: opts.loc, context: opts.context, message: `${term}: index ${sub.index} is out of range (${base} has ${found.length} hosts)` });
      return [];
    }
    return [h];
  }
  return found.slice(sub.start, sub.end === undefined ? undefined : sub.end + 1);
}

/** Hosts matched by one term without its prefix or subscript; undefined after a problem. */
function resolveBase(inv: Inventory, base: string, problems: Problem[], opts: SelectOptions): string[] | undefined {
  if (base === 'all' || base === '*') return [...inv.hosts.keys()];
  if (inv.hosts.has(base) && !inv.groups.has(base)) return [base];
  let test: (name: string) => boolean;
  const isRegex = base.startsWith('~');
  const isGlob = /[*?[]/.test(base);
  if (isRegex) {
    try {
      const re = new RegExp(`^(?:${base.slice(1)})`);
      test = (n) => re.test(n);
    } catch (e) {
      problems.push({ loc: opts.loc, context: opts.context, message: `invalid regular expression in host pattern ${base}: ${(e as Error).message}` });
      return undefined;
    }
  } else if (isGlob) {
    const re = globToRegExp(base);
    test = (n) => re.test(n);
  } else {
    test = (n) => n === base;
  }
  const members = new Set<string>();
  let matchedGroup = false;
  for (const g of inv.groups.keys()) {
    if (!test(g)) continue;
    matchedGroup = true;
    for (const h of groupHostNames(inv, g)) members.add(h);
  }
  let matchedHost = false;
  if (!matchedGroup || isRegex || isGlob) {
    for (const h of inv.hosts.keys()) {
      if (test(h)) {
        matchedHost = true;
        members.add(h);
      }
    }
  }
  if (!matchedGroup && !matchedHost) {
    const dym = isRegex || isGlob ? undefined : didYouMean(base, [...inv.hosts.keys(), ...inv.groups.keys()]);
    problems.push({
      loc: opts.loc,
      context: opts.context,
      message: isRegex || isGlob ? `host pattern ${base} matches no host or group` : `no host or group named ${base}`,
      hint: dym ?? `groups: ${[...inv.groups.keys()].join(', ')}`,
    });
    return undefined;
  }
  return [...inv.hosts.keys()].filter((h) => members.has(h));
}

/** fnmatch-style: `*`, `?`, `[abc]`, `[!abc]`; the whole name must match. */
export function globToRegExp(glob: string): RegExp {
  let src = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') src += '.*';
    else if (c === '?') src += '.';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        src += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      src += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else src += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${src}$`);
}
