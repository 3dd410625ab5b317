/**
 * A text file as lines that remember their own line ending, so an edit can change some lines
 * and give back every other byte as it was: CRLF stays CRLF, a missing final newline stays
 * missing. Only "\n" ends a line (a "\r" before it belongs to the ending). Pure.
 */

export interface Line {
  readonly text: string;
  /** "" only for a last line without a newline. */
  readonly eol: '' | '\n' | '\r\n';
}

export function splitLines(s: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  while (start < s.length) {
    const nl = s.indexOf('\n', start);
    if (nl === -1) {
      out.push({ text: s.slice(start), eol: '' });
      break;
    }
    const cr = nl > start && s[nl - 1] === '\r';
    out.push({ text: s.slice(start, cr ? nl - 1 : nl), eol: cr ? '\r\n' : '\n' });
    start = nl + 1;
  }
  return out;
}

export function joinLines(lines: readonly Line[]): string {
  return lines.map((l) => l.text + l.eol).join('');
}

/** The ending new lines get: the file's first line ending, "\n" when it has none. */
export function fileEol(lines: readonly Line[]): '\n' | '\r\n' {
  return lines.find((l) => l.eol !== '')?.eol === '\r\n' ? '\r\n' : '\n';
}

/** Give the last line a line ending before something is added after it. */
export function terminateLast(lines: Line[], eol: '\n' | '\r\n'): void {
  const last = lines[lines.length - 1];
  if (last && last.eol === '') lines[lines.length - 1] = { text: last.text, eol };
}
