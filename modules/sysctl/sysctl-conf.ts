/**
 * Pure text editing of a sysctl.d file: find the lines setting one key, and rewrite the file
 * with that key set or removed while every other line stays byte-identical. No I/O.
 *
 * Syntax (sysctl.d(5)): `key = value`, blank lines, comments starting with `#` or `;`, a key
 * may be written with dots or slashes and prefixed with `-` (ignore errors). Keys are compared
 * in dotted form, values with whitespace normalised.
 */

/** Dotted form of a key as written in a file or in args: `net/ipv4/ip_forward` -> `net.ipv4.ip_forward`. */
export function canonicalKey(key: string): string {
  const k = key.trim().replace(/^-/, '').trim();
  return k.includes('/') ? k.replace(/^\/+/, '').replace(/\./g, '\u0000').replace(/\//g, '.').replace(/\u0000/g, '/') : k;
}

/** /proc/sys path of a key; a key with slashes is already a path (its dots stay). */
export function procPath(name: string): string {
  const k = name.trim();
  return `/proc/sys/${k.includes('/') ? k.replace(/^\/+/, '') : k.replace(/\./g, '/')}`;
}

/** "32768\t60999\n" -> "32768 60999": how the kernel's and the user's values are compared. */
export function normalizeValue(v: string): string {
  return v.trim().split(/\s+/).join(' ');
}

export interface ConfEntry {
  /** 0-based line index. */
  readonly index: number;
  readonly value: string;
}

/** Lines of `text` (without their newlines); a final newline does not make an extra line. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The lines of `text` that set `name`, in file order (the last one wins at boot). */
export function findEntries(text: string, name: string): ConfEntry[] {
  const want = canonicalKey(name);
  const out: ConfEntry[] = [];
  splitLines(text).forEach((line, index) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) return;
    const eq = t.indexOf('=');
    if (eq < 0) return;
    if (canonicalKey(t.slice(0, eq)) === want) out.push({ index, value: t.slice(eq + 1).trim() });
  });
  return out;
}

/**
 * `text` with `name` set to `value`: the first line setting it is replaced by `name = value`,
 * later ones are dropped, or the line is appended. null text (no file) gives a one-line file.
 */
export function setEntry(text: string | null, name: string, value: string): string {
  const line = `${name} = ${value}`;
  if (text === null || text === '') return `${line}\n`;
  const entries = findEntries(text, name);
  if (entries.length === 0) return `${text}${text.endsWith('\n') ? '' : '\n'}${line}\n`;
  return rewrite(text, entries, line);
}

/** `text` without the lines setting `name`. */
export function removeEntry(text: string, name: string): string {
  return rewrite(text, findEntries(text, name), null);
}

function rewrite(text: string, entries: readonly ConfEntry[], replacement: string | null): string {
  const drop = new Set(entries.map((e) => e.index));
  const first = entries[0]?.index;
  const endsWithNewline = text.endsWith('\n');
  const out: string[] = [];
  splitLines(text).forEach((l, i) => {
    if (i === first && replacement !== null) out.push(replacement);
    else if (!drop.has(i)) out.push(l);
  });
  if (out.length === 0) return '';
  return out.join('\n') + (endsWithNewline ? '\n' : '');
}
