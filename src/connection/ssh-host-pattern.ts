/**
 * OpenSSH host patterns, shared by ssh_config `Host` lines and known_hosts host fields:
 * `*` and `?` wildcards, `!` negation, lists separated by commas (known_hosts) or spaces
 * (ssh_config). Matching is case-insensitive like OpenSSH. Pure functions, no I/O.
 */

/** One glob pattern (no negation) against a name. */
export function matchGlob(pattern: string, name: string): boolean {
  const re = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's').test(name.toLowerCase());
}

/**
 * A pattern list: true when some positive pattern matches and no negated one does; false
 * when a negated pattern matches (OpenSSH: a negated match wins); undefined when nothing
 * matched. `sep` splits the list: commas for known_hosts, whitespace for ssh_config.
 */
export function matchHostPatternList(list: string, name: string, sep: RegExp = /,/): boolean | undefined {
  let matched: boolean | undefined;
  for (const raw of list.split(sep)) {
    const p = raw.trim();
    if (p === '') continue;
    if (p.startsWith('!')) {
      if (matchGlob(p.slice(1), name)) return false;
    } else if (matchGlob(p, name)) {
      matched = true;
    }
  }
  return matched;
}
