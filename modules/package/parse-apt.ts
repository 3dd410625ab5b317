/**
 * Pure parsers of what apt tools print (captured samples in testdata/): dpkg-query -W with
 * DPKG_FORMAT, apt-mark showhold, and LC_ALL=C apt-cache policy. No I/O.
 */

export interface DpkgEntry {
  readonly version: string;
  /** db:Status-Abbrev, e.g. "ii " (installed), "hi " (held + installed), "rc " (removed, config left). */
  readonly status: string;
}

/** Whether dpkg considers the package installed (second status letter `i`). */
export function isInstalled(e: DpkgEntry | undefined): boolean {
  return e !== undefined && e.status[1] === 'i';
}

/** `name\tversion\tstatus` lines -> name -> entry; `name:arch` keys are also stored bare (first wins). */
export function parseDpkgQuery(text: string): Record<string, DpkgEntry> {
  const out: Record<string, DpkgEntry> = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const [name, version, status] = line.split('\t');
    if (name === undefined || version === undefined || status === undefined) throw new Error(`unexpected dpkg-query line ${JSON.stringify(line)}`);
    const entry = { version, status };
    // A package known only from an index (never installed) has an empty version and status "un ".
    if (out[name] === undefined || (!isInstalled(out[name]) && isInstalled(entry))) out[name] = entry;
  }
  return out;
}

/** apt-mark showhold: one name per line. */
export function parseShowhold(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

export interface AptPolicy {
  /** Candidate version; null for "(none)". */
  readonly candidate: string | null;
  /** Versions in the version table (installed and available), newest first as apt prints them. */
  readonly versions: readonly string[];
}

/** LC_ALL=C apt-cache policy NAMES. Packages apt does not know at all are simply missing. */
export function parseAptPolicy(text: string): Record<string, AptPolicy> {
  const out: Record<string, AptPolicy> = {};
  let name: string | null = null;
  let candidate: string | null = null;
  let versions: string[] = [];
  const flush = (): void => {
    if (name !== null) out[name] = { candidate, versions };
  };
  for (const line of text.split('\n')) {
    const head = /^(\S+):$/.exec(line);
    if (head) {
      flush();
      name = head[1] as string;
      candidate = null;
      versions = [];
      continue;
    }
    const cand = /^ {2}Candidate: (\S+)$/.exec(line);
    if (cand) {
      candidate = cand[1] === '(none)' ? null : (cand[1] as string);
      continue;
    }
    const ver = /^ (?:\*\*\*| {3}) (\S+) -?\d+$/.exec(line);
    if (ver) versions.push(ver[1] as string);
  }
  flush();
  return out;
}
