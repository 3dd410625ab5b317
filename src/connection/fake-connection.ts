/**
 * FakeConnection: a Connection for unit tests ONLY. It has an in-memory filesystem (for put and
 * get) and a table of scripted replies for exec; it records every call so tests can count round
 * trips. It interprets no shell: an exec with no matching reply answers 127, naming the command.
 * Never use it outside tests; it does not pretend to be a host.
 */
import { isShellScript, shellJoin } from '../module-api/shell-quote.js';
import type { Command, Connection, ExecOptions, ExecResult, PutOptions } from './types.js';

export type FakeMatcher = string | RegExp | ((cmdText: string) => boolean);
/** A reply: any subset of ExecResult (defaults: exit 0, empty output, 0 ms). */
export type FakeReplyValue = Partial<ExecResult>;
export type FakeReply = FakeReplyValue | ((cmdText: string, stdin: string | undefined) => FakeReplyValue);

export interface FakeFile {
  content: Buffer;
  /** Octal string, e.g. "0644". */
  mode: string;
  owner?: string;
  group?: string;
}

export type FakeCall =
  | { readonly kind: 'exec'; readonly cmd: string; readonly opts: ExecOptions }
  | { readonly kind: 'put'; readonly cmd: string; readonly path: string; readonly content: Buffer; readonly opts: PutOptions }
  | { readonly kind: 'get'; readonly cmd: string; readonly path: string };

/** The text a Command is matched and recorded by: shellJoin(argv), or the script itself. */
export function commandText(cmd: Command): string {
  return isShellScript(cmd) ? cmd.script : shellJoin(cmd);
}

export class FakeConnection implements Connection {
  readonly files = new Map<string, FakeFile>();
  readonly calls: FakeCall[] = [];
  readonly #replies: { matcher: FakeMatcher; reply: FakeReply }[] = [];
  closed = false;

  constructor(readonly host: string = 'fake') {}

  /**
   * Script a reply. A string matcher matches the exact command text; a RegExp or function
   * tests it. The most recently added matching reply wins, so a test can set a broad default
   * first and override it later.
   */
  on(matcher: FakeMatcher, reply: FakeReply): this {
    this.#replies.unshift({ matcher, reply });
    return this;
  }

  /** Put a file into the in-memory filesystem without recording a call. */
  seed(path: string, content: string | Buffer, mode = '0644'): this {
    this.files.set(path, { content: Buffer.from(content), mode });
    return this;
  }

  /** Calls of one kind, e.g. `fake.callsOf('exec').length` = round trips for commands. */
  callsOf<K extends FakeCall['kind']>(kind: K): Extract<FakeCall, { kind: K }>[] {
    return this.calls.filter((c): c is Extract<FakeCall, { kind: K }> => c.kind === kind);
  }

  async exec(cmd: Command, opts: ExecOptions = {}): Promise<ExecResult> {
    const text = commandText(cmd);
    this.calls.push({ kind: 'exec', cmd: text, opts });
    const stdin = opts.stdin === undefined ? undefined : opts.stdin.toString();
    const hit = this.#replies.find(({ matcher }) => matches(matcher, text));
    if (!hit) return { exitCode: 127, stdout: '', stderr: `fake: command not found (no scripted reply): ${text}\n`, durationMs: 0 };
    const value = typeof hit.reply === 'function' ? hit.reply(text, stdin) : hit.reply;
    return { exitCode: 0, stdout: '', stderr: '', durationMs: 0, ...value };
  }

  async put(path: string, content: string | Buffer, opts: PutOptions = {}): Promise<void> {
    const buf = Buffer.from(content);
    this.calls.push({ kind: 'put', cmd: `put ${path}`, path, content: buf, opts });
    const dir = path.slice(0, path.lastIndexOf('/')) || '/';
    const dirKnown = dir === '/' || [...this.files.keys()].some((p) => p.startsWith(`${dir}/`));
    if (!dirKnown && this.strictDirs) throw new Error(`put ${path}: directory ${dir} does not exist`);
    const old = this.files.get(path);
    this.files.set(path, {
      content: buf,
      mode: opts.mode ?? old?.mode ?? '0644',
      ...(opts.owner ?? old?.owner ? { owner: opts.owner ?? old?.owner } : {}),
      ...(opts.group ?? old?.group ? { group: opts.group ?? old?.group } : {}),
    });
  }

  async get(path: string): Promise<Buffer | null> {
    this.calls.push({ kind: 'get', cmd: `get ${path}`, path });
    const f = this.files.get(path);
    return f ? Buffer.from(f.content) : null;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /**
   * When true, put fails unless some file already lives in the target's directory (a cheap
   * stand-in for "directory exists"). Off by default: most tests do not model directories.
   */
  strictDirs = false;
}

function matches(m: FakeMatcher, text: string): boolean {
  if (typeof m === 'string') return m === text;
  if (m instanceof RegExp) return m.test(text);
  return m(text);
}
