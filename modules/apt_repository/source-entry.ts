/**
 * Pure rendering of an apt source: the one-line entry from args (deb [options] URI SUITE
 * [COMPONENTS]) parsed, `signed-by` set, and written back as a .list line or a deb822 stanza
 * (sources.list(5)). No I/O. Throws Error with a message for the caller's TaskFailure.
 */

export interface SourceEntry {
  readonly type: 'deb' | 'deb-src';
  /** Options in their written order, `signed-by` excluded. */
  readonly options: readonly (readonly [string, string])[];
  readonly uri: string;
  readonly suite: string;
  readonly components: readonly string[];
}

const LINE = /^(deb|deb-src)\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)(?:\s+(.*))?$/;

/** deb822 field names of the one-line options apt knows. */
const DEB822_FIELD: Record<string, string> = {
  arch: 'Architectures',
  lang: 'Languages',
  target: 'Targets',
  'pdiffs': 'PDiffs',
  'by-hash': 'By-Hash',
  'allow-insecure': 'Allow-Insecure',
  'allow-weak': 'Allow-Weak',
  'allow-downgrade-to-insecure': 'Allow-Downgrade-To-Insecure',
  trusted: 'Trusted',
  'check-valid-until': 'Check-Valid-Until',
  'valid-until-min': 'Valid-Until-Min',
  'valid-until-max': 'Valid-Until-Max',
  'check-date': 'Check-Date',
  'date-max-future': 'Date-Max-Future',
  'inrelease-path': 'InRelease-Path',
};

export function parseSourceLine(line: string): SourceEntry {
  const m = LINE.exec(line.trim());
  if (!m) throw new Error(`"${line.trim()}" is not a one-line apt source (deb [options] URI SUITE [COMPONENTS...])`);
  const options: [string, string][] = [];
  for (const opt of (m[2] ?? '').trim().split(/\s+/).filter((o) => o !== '')) {
    const eq = opt.indexOf('=');
    if (eq <= 0) throw new Error(`apt source option "${opt}" is not key=value`);
    const key = opt.slice(0, eq).toLowerCase();
    if (key !== 'signed-by') options.push([key, opt.slice(eq + 1)]);
  }
  const components = (m[5] ?? '').trim().split(/\s+/).filter((c) => c !== '');
  const suite = m[4] as string;
  if (suite.endsWith('/') !== (components.length === 0)) {
    throw new Error(`apt source "${line.trim()}": a suite ending in / (flat repository) takes no components; any other suite needs at least one`);
  }
  return { type: m[1] as 'deb' | 'deb-src', options, uri: m[3] as string, suite, components };
}

export function renderListLine(e: SourceEntry, signedBy: string | null): string {
  const opts = [...e.options.map(([k, v]) => `${k}=${v}`), ...(signedBy ? [`signed-by=${signedBy}`] : [])];
  return `${[e.type, ...(opts.length > 0 ? [`[${opts.join(' ')}]`] : []), e.uri, e.suite, ...e.components].join(' ')}\n`;
}

export function renderDeb822(e: SourceEntry, signedBy: string | null): string {
  const lines = [`Types: ${e.type}`, `URIs: ${e.uri}`, `Suites: ${e.suite}`];
  if (e.components.length > 0) lines.push(`Components: ${e.components.join(' ')}`);
  for (const [k, v] of e.options) {
    const field = DEB822_FIELD[k];
    if (field === undefined) throw new Error(`apt source option "${k}" has no deb822 form known to k3play; use format: list`);
    lines.push(`${field}: ${v.split(',').join(' ')}`);
  }
  if (signedBy) lines.push(`Signed-By: ${signedBy}`);
  return `${lines.join('\n')}\n`;
}
