/**
 * Pure parsers of what rpm and dnf/yum print (captured samples in testdata/): rpm -q with
 * RPM_FORMAT, `dnf -q versionlock list`, and `dnf -q repoquery --qf REPOQUERY_FORMAT`. No I/O.
 */

/** rpm -q: `name\tepoch:version-release` lines; "package X is not installed" lines are skipped. */
export function parseRpmQuery(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '' || / is not installed$/.test(line)) continue;
    const [name, evr] = line.split('\t');
    if (name === undefined || evr === undefined) throw new Error(`unexpected rpm -q line ${JSON.stringify(line)}`);
    out[name] ??= evr;
  }
  return out;
}

/** Locked names, or 'missing' when the versionlock plugin is not installed (dnf: "No such command"). */
export function parseVersionlockList(text: string, exitCode: number): string[] | 'missing' {
  if (exitCode !== 0) {
    if (/No such command|unrecognized arguments|invalid choice/i.test(text)) return 'missing';
    throw new Error(`versionlock list failed (exit ${exitCode}): ${text.trim().slice(0, 300)}`);
  }
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    // "name-[epoch:]version-release.*"; excludes start with "!" and are not locks.
    const m = /^([^!\s].*?)-(?:\d+:)?[^-]+-[^-]+$/.exec(t);
    if (m && !out.includes(m[1] as string)) out.push(m[1] as string);
  }
  return out;
}

/** repoquery --latest-limit=1: `name\tepoch:version-release` lines (newest per name). */
export function parseRepoquery(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const [name, evr] = line.split('\t');
    if (name && evr) out[name.trim()] ??= evr.trim();
  }
  return out;
}
