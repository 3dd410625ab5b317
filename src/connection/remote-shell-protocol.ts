/**
 * The wire protocol of the persistent remote shell, as pure functions: how one command is
 * framed for a long-lived `/bin/sh -s` reading its script from the channel, and how its
 * stdout, stderr and exit status are cut back out of the two streams.
 *
 * A command is written as
 *
 *     [base64 -d <<'K3IN_M' |] ( [cd -- DIR || exit 1;] [export K='V';] eval 'SCRIPT' ) [</dev/null]
 *     [base64 of stdin, 76 columns]
 *     [K3IN_M]
 *     printf '\n%s %03d\n' M "$?"; printf '\n%s\n' M >&2
 *
 * with M a marker no command can guess (a random 128-bit prefix per process + a counter). A
 * *plain* command (plainCommand: one simple command of literal words, so it cannot be a syntax
 * error) is written without `eval`: `( /bin/true )` lets sh exec it in the subshell's own
 * process, one fork on the remote host, where `( eval '/bin/true' )` costs two (eval keeps sh
 * from exec'ing the last command in place). A plain command naming its program by absolute
 * path, without cwd, env or stdin, runs without the subshell: `/bin/true </dev/null`. Such a
 * command is always an external program (a word with a slash is never a builtin, a function or
 * an assignment), so it cannot change the shell's state, and dash starts it with vfork where
 * the subshell costs a full fork (page tables copied, then faulted): a third less CPU per
 * command on the host.
 * Why each part:
 * - the subshell `( )`: `exit`, `cd`, `exec`, `set -e` in a command cannot touch the shell;
 * - `eval` of the quoted script (any command that is not plain): a syntax error fails that
 *   command (exit 2) instead of desynchronising or killing the persistent shell; `eval` is a
 *   builtin, so nothing is in argv;
 * - stdin from a base64 here-doc piped in: binary-safe, any length, never in argv (a secret on
 *   stdin stays out of ps); without stdin, `</dev/null` so a command can never read the
 *   shell's own script stream;
 * - env is `export`ed inside the subshell: values are not in argv (`env K=V` would be);
 * - the trailers add exactly one `\n` before the marker, which the parser strips, so output
 *   without a trailing newline comes back unchanged; the exit code is fixed-width.
 * It performs no I/O.
 */
import { randomBytes } from 'node:crypto';
import { isShellScript, shellQuote, shellJoin } from '../module-api/shell-quote.js';
import type { Command } from './types.js';

export interface FrameInput {
  readonly stdin?: string | Buffer;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

export interface FramedCommand {
  readonly marker: string;
  readonly text: string;
}

// The random part is drawn once: a marker is never shown to the command (printf is a builtin,
// the script arrives on the shell's stdin), so a counter keeps it unique and as unguessable.
const MARKER_PREFIX = `k3m${randomBytes(16).toString('hex')}`;
let markerCount = 0;

export function newMarker(): string {
  return `${MARKER_PREFIX}${(++markerCount).toString(36)}`;
}

/** The command as shell text: argv joined with quoting, a ShellScript as is. */
export function commandText(cmd: Command): string {
  if (isShellScript(cmd)) return cmd.script;
  if (cmd.length === 0) throw new Error('exec: empty argv');
  return shellJoin(cmd);
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The body run inside the subshell (cd, exports, the command). Throws on an invalid env name. */
export function commandBody(cmd: Command, input: Omit<FrameInput, 'stdin'> = {}): string {
  const lines: string[] = [];
  if (input.cwd !== undefined) lines.push(`cd -- ${shellQuote(input.cwd)} || exit 1`);
  for (const [k, v] of Object.entries(input.env ?? {})) {
    if (!ENV_NAME.test(k)) throw new Error(`exec: invalid environment variable name "${k}"`);
    lines.push(`export ${k}=${shellQuote(v)}`);
  }
  const text = commandText(cmd);
  lines.push(plainCommand(text) ? text : `eval ${shellQuote(text)}`);
  // One line: a here-doc's body starts after the next newline token, so the subshell must not
  // contain one outside quotes (the quoted script may contain newlines freely).
  return lines.join('; ');
}

/** A word sh takes literally: unquoted safe characters, or one single-quoted string. */
const LITERAL_WORD = /^(?:[A-Za-z0-9_@%+=:,./-]+|'[^'\n]*')$/;

/** sh's reserved words (dash's and bash's): unquoted at the start of a command, grammar. */
const RESERVED = new Set(['case', 'coproc', 'do', 'done', 'elif', 'else', 'esac', 'fi', 'for', 'function', 'if', 'in', 'select', 'then', 'time', 'until', 'while']);

/**
 * True when `text` is one simple command of literal words (no expansion, redirection, operator
 * or newline) that does not start with a reserved word: it cannot be a syntax error, so it
 * runs in the subshell without `eval`.
 */
export function plainCommand(text: string): boolean {
  const words = text.split(' ');
  return words.every((w) => LITERAL_WORD.test(w)) && !RESERVED.has(words[0]!);
}

/** A plain command whose program is an absolute path: it runs outside a subshell (see above). */
export function externalPlainCommand(text: string): boolean {
  return text.startsWith('/') && plainCommand(text);
}

export function frameCommand(cmd: Command, input: FrameInput = {}, marker: string = newMarker()): FramedCommand {
  const hasStdin = input.stdin !== undefined && Buffer.byteLength(input.stdin) > 0;
  const bare = commandText(cmd);
  const direct = !hasStdin && input.cwd === undefined && Object.keys(input.env ?? {}).length === 0 && externalPlainCommand(bare);
  const body = direct ? bare : `( ${commandBody(cmd, input)} )`;
  let text: string;
  if (hasStdin) {
    const b64 = Buffer.from(input.stdin).toString('base64').replace(/.{76}/g, '$&\n');
    const delim = `K3IN_${marker}`;
    text = `base64 -d <<'${delim}' | ${body}\n${b64}${b64.endsWith('\n') ? '' : '\n'}${delim}\n`;
  } else {
    text = `${body} </dev/null\n`;
  }
  text += `printf '\\n%s %03d\\n' ${marker} "$?"; printf '\\n%s\\n' ${marker} >&2\n`;
  return { marker, text };
}

/**
 * Collects one stream until `\n` + needle (+ `tailLen` more bytes) has been seen. Searches only
 * the new bytes plus an overlap, so multi-megabyte outputs are scanned once.
 */
export class MarkerScanner {
  readonly #needle: Buffer;
  readonly #tailLen: number;
  #chunks: Buffer[] = [];
  #total = 0;
  #overlap: Buffer = Buffer.alloc(0);
  #found = -1;

  constructor(needle: string, tailLen: number) {
    this.#needle = Buffer.from(`\n${needle}`);
    this.#tailLen = tailLen;
  }

  /** Feeds a chunk; returns true once the marker and its tail are complete. */
  push(chunk: Buffer): boolean {
    this.#chunks.push(chunk);
    const before = this.#total;
    this.#total += chunk.length;
    if (this.#found < 0) {
      // Most commands' output arrives in one chunk: searched in place, without a copy.
      const window = this.#overlap.length === 0 ? chunk : Buffer.concat([this.#overlap, chunk]);
      const i = window.indexOf(this.#needle);
      if (i >= 0) this.#found = before - this.#overlap.length + i;
      else this.#overlap = window.subarray(Math.max(0, window.length - this.#needle.length + 1));
    }
    return this.done;
  }

  get done(): boolean {
    return this.#found >= 0 && this.#total >= this.#found + this.#needle.length + this.#tailLen;
  }

  /** Output before the marker, the tail after it, and any bytes beyond (next command's). */
  take(): { body: Buffer; tail: string; rest: Buffer } {
    const all = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
    const end = this.#found + this.#needle.length;
    return {
      body: all.subarray(0, this.#found),
      tail: all.subarray(end, end + this.#tailLen).toString('latin1'),
      rest: all.subarray(end + this.#tailLen),
    };
  }

  /** Everything received so far (for partial output of a command that did not finish). */
  all(): Buffer {
    return this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
  }

  get bytes(): number {
    return this.#total;
  }
}

/** stdout trailer after the marker: ` 000\n`; stderr trailer: `\n`. */
export const STDOUT_TAIL_LEN = 5;
export const STDERR_TAIL_LEN = 1;

export function parseExitTail(tail: string): number {
  const m = /^ (\d{3})\n$/.exec(tail);
  if (!m) throw new Error(`remote shell protocol error: bad exit trailer ${JSON.stringify(tail)}`);
  return Number(m[1]);
}
