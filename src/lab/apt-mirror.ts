/**
 * Finds the Debian mirror this machine already uses (from /etc/apt/sources.list and
 * sources.list.d/*.list|*.sources, one-line and deb822 formats), so debootstrap fetches from
 * the only archive the machine can reach. Parsing is pure; reading the files is separate.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export interface SourceFile {
  readonly name: string;
  readonly text: string;
}

/** First `deb` URI that serves `suite` itself (not -security/-updates); null when none. */
export function findDebianMirror(files: readonly SourceFile[], suite: string): string | null {
  for (const f of files) {
    const entries = f.name.endsWith('.sources') ? parseDeb822(f.text) : parseOneLine(f.text);
    for (const e of entries) {
      if (e.types.includes('deb') && e.suites.includes(suite) && e.uris[0]) return e.uris[0].replace(/\/+$/, '');
    }
  }
  return null;
}

interface Entry {
  types: string[];
  uris: string[];
  suites: string[];
}

function parseOneLine(text: string): Entry[] {
  const out: Entry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const noOpts = line.replace(/\[[^\]]*\]/, ' ');
    const [type, uri, suite] = noOpts.split(/\s+/);
    if (type && uri && suite) out.push({ types: [type], uris: [uri], suites: [suite] });
  }
  return out;
}

function parseDeb822(text: string): Entry[] {
  const out: Entry[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const raw of stanza.split('\n')) {
      if (raw.startsWith('#')) continue;
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(raw);
      if (m) fields.set(m[1]!.toLowerCase(), m[2]!.trim());
    }
    if ((fields.get('enabled') ?? 'yes') === 'no') continue;
    const words = (k: string) => (fields.get(k) ?? '').split(/\s+/).filter((w) => w !== '');
    out.push({ types: words('types'), uris: words('uris'), suites: words('suites') });
  }
  return out;
}

/** Reads this machine's apt source files (only *.list and *.sources count, like apt). */
export function readAptSources(root = '/etc/apt'): SourceFile[] {
  const files: SourceFile[] = [];
  const main = join(root, 'sources.list');
  if (existsSync(main)) files.push({ name: main, text: readFileSync(main, 'utf8') });
  const dir = join(root, 'sources.list.d');
  if (existsSync(dir)) {
    for (const n of readdirSync(dir).sort()) {
      if (n.endsWith('.list') || n.endsWith('.sources')) files.push({ name: join(dir, n), text: readFileSync(join(dir, n), 'utf8') });
    }
  }
  return files;
}
