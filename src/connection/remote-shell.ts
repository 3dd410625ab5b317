/**
 * One remote `/bin/sh -s` on one ssh channel: the handshake (become prompt → password on
 * stdin → READY line with the shell's pid and process group), then commands one at a time in
 * the framing of remote-shell-protocol.ts. The same class serves the exec-per-channel fallback
 * (open, run one command, close). It does not queue (remote-shell-pool.ts does), does not kill
 * timed-out commands itself (the caller kills the process group from another channel) and
 * never writes the become password anywhere but the channel's stdin, once.
 */
import { randomBytes } from 'node:crypto';
import type { ClientChannel } from 'ssh2';
import { ExitCode, K3playError } from '../errors/k3play-error.js';
import type { Secret } from '../module-api/secret.js';
import { channelHandshake, explainBecomeFailure, sawPrompt, type BecomeSpec } from './become.js';
import {
  MarkerScanner,
  parseExitTail,
  STDERR_TAIL_LEN,
  STDOUT_TAIL_LEN,
  type FramedCommand,
} from './remote-shell-protocol.js';

/** Opens an exec channel running `command` (the opener enforces the per-host channel cap). */
export type ExecChannelOpener = (command: string) => Promise<ClientChannel>;

export interface ShellSpec {
  readonly become?: BecomeSpec;
  readonly becomePassword?: Secret;
  /** How long the handshake (incl. sudo) may take. */
  readonly startTimeoutMs: number;
}

export interface RawExecResult {
  readonly exitCode: number;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly durationMs: number;
}

export type ShellRunOutcome =
  | { readonly kind: 'done'; readonly result: RawExecResult }
  | { readonly kind: 'timeout'; readonly stdout: Buffer; readonly stderr: Buffer; readonly durationMs: number }
  | { readonly kind: 'died'; readonly stdout: Buffer; readonly stderr: Buffer; readonly durationMs: number };

/** The shell could not be started because become failed (wrong password, not in sudoers...). */
/**
 * Becoming another user failed (no/wrong password, sudo refused): a host failure the user can
 * fix, so a K3playError (the engine prints message + hint), not an "internal error".
 */
export class BecomeError extends K3playError {
  constructor(message: string, hint?: string) {
    super({ context: 'become', message, ...(hint ? { hint } : {}) }, ExitCode.hostFailed);
    this.name = 'BecomeError';
  }
}

/** The channel opened but the shell never printed its READY line. */
export class ShellStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellStartError';
  }
}

export interface OpenedChannel {
  readonly channel: ClientChannel;
  readonly pid: number;
  readonly pgid: number;
}

/**
 * Opens a channel with the become handshake and waits for READY. `inner` runs after READY in
 * the same process (`exec /bin/sh -s` for a shell, or a script reading stdin for a streamed put).
 */
export async function openWithHandshake(open: ExecChannelOpener, inner: string, spec: ShellSpec): Promise<OpenedChannel> {
  const token = randomBytes(12).toString('hex');
  const hs = channelHandshake(inner, token, spec.become);
  const channel = await open(hs.command);
  const method = spec.become?.method ?? 'sudo';
  const user = spec.become?.user ?? 'root';
  return new Promise<OpenedChannel>((resolve, reject) => {
    let out = '';
    let err = '';
    let sentPassword = false;
    let settled = false;
    const finish = (e: Error | null, v?: OpenedChannel): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      channel.stdout.removeListener('data', onOut);
      channel.stderr.removeListener('data', onErr);
      channel.removeListener('close', onClose);
      if (e) {
        channel.close();
        reject(e);
      } else if (v) resolve(v);
    };
    const onOut = (d: Buffer): void => {
      out += d.toString('latin1');
      const m = new RegExp(`${hs.ready} (\\d+) (\\d+)\\n`).exec(out);
      if (m) finish(null, { channel, pid: Number(m[1]), pgid: Number(m[2]) });
      else if (out.length > 65536) finish(new ShellStartError(`remote shell did not start: unexpected output ${JSON.stringify(out.slice(0, 200))}`));
    };
    const onErr = (d: Buffer): void => {
      err += d.toString('utf8');
      if (!sawPrompt(err, hs.prompt)) return;
      if (!spec.becomePassword) {
        finish(new BecomeError(`${method} to ${user} requires a password`, `set ansible_become_password (inventory or group_vars), or allow passwordless ${method}`));
      } else if (sentPassword) {
        finish(new BecomeError(`${method} to ${user}: the become password was rejected`, 'check ansible_become_password for this host'));
      } else {
        sentPassword = true;
        err = '';
        channel.write(`${spec.becomePassword.reveal()}\n`);
      }
    };
    const onClose = (): void => {
      if (spec.become) finish(new BecomeError(explainBecomeFailure(err, method, user)));
      else finish(new ShellStartError(`remote shell exited before it started${err.trim() ? `: ${err.trim()}` : ''}`));
    };
    const timer = setTimeout(() => {
      finish(
        spec.become
          ? new BecomeError(`${method} to ${user} did not start within ${spec.startTimeoutMs} ms${err.trim() ? `: ${err.trim()}` : ''}`)
          : new ShellStartError(`remote shell did not start within ${spec.startTimeoutMs} ms`),
      );
    }, spec.startTimeoutMs);
    channel.stdout.on('data', onOut);
    channel.stderr.on('data', onErr);
    channel.on('close', onClose);
  });
}

interface Pending {
  readonly out: MarkerScanner;
  readonly err: MarkerScanner;
  readonly started: number;
  readonly timer: NodeJS.Timeout | undefined;
  readonly resolve: (o: ShellRunOutcome) => void;
}

export class RemoteShell {
  #dead = false;
  #pending: Pending | undefined;

  private constructor(
    readonly channel: ClientChannel,
    readonly pid: number,
    readonly pgid: number,
  ) {
    channel.stdout.on('data', (d: Buffer) => this.#onData(d, 'out'));
    channel.stderr.on('data', (d: Buffer) => this.#onData(d, 'err'));
    channel.on('close', () => this.#onClose());
    // A write after the remote end closed: reported through 'close', not as an exception.
    channel.on('error', () => this.#onClose());
  }

  static async open(open: ExecChannelOpener, spec: ShellSpec): Promise<RemoteShell> {
    const { channel, pid, pgid } = await openWithHandshake(open, 'exec /bin/sh -s', spec);
    return new RemoteShell(channel, pid, pgid);
  }

  get dead(): boolean {
    return this.#dead;
  }

  get busy(): boolean {
    return this.#pending !== undefined;
  }

  /**
   * Runs one framed command. On timeout the shell is marked dead and the outcome says so: the
   * caller kills `pgid` and drops the shell. `endInput` closes stdin after the command (the
   * exec-per-channel mode: the shell exits when the command is done).
   */
  run(frame: FramedCommand, timeoutMs: number | undefined, endInput = false): Promise<ShellRunOutcome> {
    if (this.#dead) return Promise.resolve({ kind: 'died', stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), durationMs: 0 });
    if (this.#pending) throw new Error('RemoteShell.run: a command is already running (use the pool)');
    return new Promise<ShellRunOutcome>((resolve) => {
      const started = performance.now();
      const timer =
        timeoutMs !== undefined && timeoutMs > 0
          ? setTimeout(() => {
              const p = this.#pending;
              this.#pending = undefined;
              this.#dead = true;
              if (p) resolve({ kind: 'timeout', ...this.#partial(p), durationMs: ms(started) });
            }, timeoutMs)
          : undefined;
      this.#pending = {
        out: new MarkerScanner(frame.marker, STDOUT_TAIL_LEN),
        err: new MarkerScanner(frame.marker, STDERR_TAIL_LEN),
        started,
        timer,
        resolve,
      };
      this.channel.write(frame.text);
      if (endInput) this.channel.end();
    });
  }

  close(): void {
    this.#dead = true;
    this.channel.close();
  }

  #partial(p: Pending): { stdout: Buffer; stderr: Buffer } {
    return { stdout: p.out.done ? p.out.take().body : p.out.all(), stderr: p.err.done ? p.err.take().body : p.err.all() };
  }

  #onData(d: Buffer, which: 'out' | 'err'): void {
    const p = this.#pending;
    if (!p) return; // output of a background process between commands: dropped
    (which === 'out' ? p.out : p.err).push(d);
    if (!(p.out.done && p.err.done)) return;
    clearTimeout(p.timer);
    this.#pending = undefined;
    const out = p.out.take();
    const err = p.err.take();
    let exitCode: number;
    try {
      exitCode = parseExitTail(out.tail);
    } catch {
      this.#dead = true;
      this.channel.close();
      p.resolve({ kind: 'died', stdout: out.body, stderr: err.body, durationMs: ms(p.started) });
      return;
    }
    p.resolve({ kind: 'done', result: { exitCode, stdout: out.body, stderr: err.body, durationMs: ms(p.started) } });
  }

  #onClose(): void {
    this.#dead = true;
    const p = this.#pending;
    if (!p) return;
    clearTimeout(p.timer);
    this.#pending = undefined;
    p.resolve({ kind: 'died', ...this.#partial(p), durationMs: ms(p.started) });
  }
}

function ms(started: number): number {
  return Math.round(performance.now() - started);
}
