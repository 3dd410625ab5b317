/**
 * Splits one INI inventory line into words the way Python's shlex does for Ansible's INI plugin
 * (quotes group, backslash escapes outside single quotes, `#` starts a comment at a word start),
 * and remembers the 1-based column where each word starts so problems can point at it.
 * It only tokenizes: deciding what a word means (host, key=value) is parse-ini.ts's job.
 */

export interface Word {
  /** The word with quotes removed and escapes resolved. */
  readonly text: string;
  /** 1-based column of the word's first character in the line. */
  readonly col: number;
}

export interface SplitResult {
  readonly words: readonly Word[];
  /** Set when a quote is not closed; the words before it are still returned. */
  readonly unclosedQuoteCol?: number;
}

export function splitShellWords(line: string): SplitResult {
  const words: Word[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) break;
    if (line[i] === '#') break; // comment to end of line
    const start = i;
    let text = '';
    while (i < line.length && !/\s/.test(line[i]!)) {
      const c = line[i]!;
      if (c === "'" || c === '"') {
        const close = findClose(line, i + 1, c);
        if (close < 0) return { words, unclosedQuoteCol: i + 1 };
        const inner = line.slice(i + 1, close);
        text += c === '"' ? inner.replace(/\\(["\\$`])/g, '$1') : inner;
        i = close + 1;
      } else if (c === '\\' && i + 1 < line.length) {
        text += line[i + 1];
        i += 2;
      } else {
        text += c;
        i++;
      }
    }
    words.push({ text, col: start + 1 });
  }
  return { words };
}

function findClose(line: string, from: number, quote: string): number {
  for (let j = from; j < line.length; j++) {
    if (quote === '"' && line[j] === '\\') {
      j++;
      continue;
    }
    if (line[j] === quote) return j;
  }
  return -1;
}
