/**
 * Pure text of a .repo file: the [id] section rendered deterministically (fixed key order:
 * name, baseurl, metalink, mirrorlist, enabled, gpgcheck, repo_gpgcheck, gpgkey, exclude), and
 * a file rewritten with that section replaced, added or removed while other sections stay byte
 * for byte. No I/O. Throws TaskFailure on values that would break the INI syntax.
 */
import { TaskFailure } from '../../src/module-api/index.js';
import type { YumRepositoryArgs } from './args.js';

const list = (v: string | readonly string[] | undefined): string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : [...v]);
const flag = (b: boolean): string => (b ? '1' : '0');

export function renderSection(a: YumRepositoryArgs): string {
  const lines = [`[${a.name}]`, `name=${a.description ?? a.name}`];
  const multi = (key: string, values: string[]): void => {
    if (values.length > 0) lines.push(`${key}=${values.join('\n\t')}`);
  };
  multi('baseurl', list(a.baseurl));
  if (a.metalink) lines.push(`metalink=${a.metalink}`);
  if (a.mirrorlist) lines.push(`mirrorlist=${a.mirrorlist}`);
  lines.push(`enabled=${flag(a.enabled ?? true)}`, `gpgcheck=${flag(a.gpgcheck ?? true)}`);
  if (a.repo_gpgcheck !== undefined) lines.push(`repo_gpgcheck=${flag(a.repo_gpgcheck)}`);
  multi('gpgkey', list(a.gpgkey));
  if (a.exclude !== undefined) lines.push(`exclude=${list(a.exclude).join(' ')}`);
  const bad = [a.description, ...list(a.baseurl), a.metalink, a.mirrorlist, ...list(a.gpgkey), ...list(a.exclude)].filter((v) => v !== undefined && /[\n\r]/.test(v));
  if (bad.length > 0) throw new TaskFailure(`yum_repository ${a.name}: values must be one line (got ${JSON.stringify(bad[0])})`, 'give several URLs as a YAML list');
  return `${lines.join('\n')}\n`;
}

interface Block {
  readonly id: string | null;
  /** Header through the section's last option line. */
  readonly body: string;
  /** Blank and comment lines after it (they belong to what follows: kept on replace). */
  readonly trailer: string;
}

/** The file cut at section headers; text before the first header has id null. */
function blocks(file: string): Block[] {
  const raw: { id: string | null; lines: string[] }[] = [{ id: null, lines: [] }];
  for (const line of file.split(/(?<=\n)/)) {
    const m = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (m) raw.push({ id: (m[1] as string).trim(), lines: [] });
    raw[raw.length - 1]?.lines.push(line);
  }
  return raw
    .filter((b) => b.id !== null || b.lines.length > 0)
    .map((b) => {
      let cut = b.lines.length;
      while (cut > 1 && /^\s*([#;].*)?\s*$/.test(b.lines[cut - 1] as string)) cut--;
      if (b.id === null) cut = b.lines.length;
      return { id: b.id, body: b.lines.slice(0, cut).join(''), trailer: b.lines.slice(cut).join('') };
    });
}

/** The section's current text in the file (without trailing blank/comment lines), or null. */
export function findSection(file: string | null, id: string): string | null {
  return file === null ? null : (blocks(file).find((b) => b.id === id)?.body ?? null);
}

/** `file` with section `id` replaced by `section` (null: removed); appended when missing. */
export function withSection(file: string | null, id: string, section: string | null): string {
  const bs = file === null ? [] : blocks(file);
  const at = bs.findIndex((b) => b.id === id);
  if (at >= 0) {
    return bs.map((b, i) => (i === at ? `${section ?? ''}${section === null && i === bs.length - 1 ? '' : b.trailer}` : b.body + b.trailer)).join('');
  }
  const prev = bs.map((b) => b.body + b.trailer).join('');
  if (section === null) return prev;
  if (prev === '') return section;
  return `${prev}${prev.endsWith('\n') ? '' : '\n'}${prev.endsWith('\n\n') ? '' : '\n'}${section}`;
}
