/**
 * SshConnection: the Connection over one ssh2 Client per host. Commands run through persistent
 * remote shells (`/bin/sh -s` on one channel, never the login shell; one pool per become user)
 * framed by remote-shell-protocol.ts; `transport: 'exec'` (or a shell that cannot start)
 * falls back to one channel per command with the same framing. Channels per host are capped
 * below sshd's MaxSessions. A timed-out command's process group is killed from another channel
 * and its shell replaced. A dropped connection is re-established once (lazily, before the next
 * command); a command in flight when it dropped is retried only when idempotent (`get`, the
 * put stat, `exec(..., { idempotent: true })`), otherwise the host is reported unreachable.
 * It never prints, never reads process.argv, and sends secrets only on channel stdin.
 */
import type { Duplex } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import type { Secret } from '../module-api/secret.js';
import type { ShellScript } from '../module-api/shell-quote.js';
import type { BecomeMethod, BecomeSpec } from './become.js';
import { KnownHosts } from './known-hosts.js';
import { frameCommand, type FramedCommand } from './remote-shell-protocol.js';
import {
  BecomeError,
  openWithHandshake,
  RemoteShell,
  ShellStartError,
  type RawExecResult,
  type ShellRunOutcome,
  type ShellSpec,
} from './remote-shell.js';
import { RemoteShellPool } from './remote-shell-pool.js';
import { planAuth } from './ssh-auth.js';
import { ChannelLimit } from './ssh-channel-limit.js';
import { connectClient } from './ssh-client.js';
import { sshGet, sshPut, type PutStats, type PutTransport } from './ssh-put.js';
import { HostUnreachable, type Command, type Connection, type ExecOptions, type ExecResult, type PutOptions } from './types.js';

export const TIMEOUT_EXIT_CODE = 124;
export const SHELL_DIED_EXIT_CODE = 255;

export interface SshParams {
  /** Inventory name. */
  readonly host: string;
  readonly address: string;
  readonly port: number;
  readonly user: string;
  readonly privateKeyFile?: string;
  /** More key files (ssh_config IdentityFile), tried after privateKeyFile. */
  readonly identityFiles?: readonly string[];
  /** Environment variable holding the key passphrase (default K3PLAY_SSH_PASSPHRASE). */
  readonly passphraseEnv?: string;
  /** ssh-agent socket; default SSH_AUTH_SOCK; false = no agent. */
  readonly agentSocket?: string | false;
  readonly password?: Secret;
  readonly becomePassword?: Secret;
  readonly becomeMethod?: BecomeMethod;
  readonly jump?: SshParams;
  readonly connectTimeoutMs?: number;
  /** Default per-command timeout (0/undefined = none). */
  readonly commandTimeoutMs?: number;
  readonly knownHostsFiles: readonly string[];
  readonly acceptNewHostKeys?: boolean;
  readonly transport?: 'shell' | 'exec';
  /** Channel cap (default 8, below sshd's MaxSessions 10). */
  readonly maxChannels?: number;
  /** Persistent shells per become user (default 4). */
  readonly maxShells?: number;
  readonly keepaliveIntervalMs?: number;
}

/** Which persistent shell a connection opens ahead of its first command (prewarm). */
export interface WarmShell {
  readonly sudo?: boolean;
  readonly becomeUser?: string;
}

export interface SshDeps {
  /** Shared known_hosts (the pool loads it once); loaded from params.knownHostsFiles if absent. */
  readonly knownHosts?: KnownHosts;
  /**
   * Throttle for handshakes in flight (the pool's limiter), keyed by the sshd being reached:
   * MaxStartups counts unauthenticated connections per sshd, not per controller.
   */
  readonly connectLimit?: <T>(sshd: string, fn: () => Promise<T>) => Promise<T>;
  /** A stream to address:port through the (shared) bastion `jump`. */
  readonly openJumpSocket?: (jump: SshParams, address: string, port: number) => Promise<Duplex>;
  readonly env?: NodeJS.ProcessEnv;
}

export type SshExecOptions = ExecOptions & {
  /** Safe to re-run after a dropped connection (reads). */
  readonly idempotent?: boolean;
};

export interface SshStats extends PutStats {
  commands: number;
  channelsOpened: number;
  shellsOpened: number;
  reconnects: number;
}

export const DEFAULTS = {
  connectTimeoutMs: 15_000,
  keepaliveIntervalMs: 15_000,
  maxChannels: 8,
  maxShells: 4,
  shellStartTimeoutMs: 15_000,
  /** Channels kept free for kill/stream channels when growing the shell pools. */
  reservedChannels: 2,
} as const;

/** Opens the ssh2 Client for `params` (direct or through the bastion): the reconnect path too. */
export async function openSshClient(params: SshParams, deps: SshDeps, knownHosts: KnownHosts): Promise<Client> {
  const env = deps.env ?? process.env;
  const auth = await planAuth({
    user: params.user,
    privateKeyFiles: [...(params.privateKeyFile ? [params.privateKeyFile] : []), ...(params.identityFiles ?? [])],
    passphrase: env[params.passphraseEnv ?? 'K3PLAY_SSH_PASSPHRASE'],
    ...(params.agentSocket !== undefined ? { agentSocket: params.agentSocket } : {}),
    ...(params.password ? { password: params.password } : {}),
    env,
  });
  const limit = deps.connectLimit ?? (<T>(_sshd: string, fn: () => Promise<T>) => fn());
  // The sshd this handshake talks to; behind a bastion, the address as the bastion reaches it.
  const sshd = `${params.jump ? `${params.jump.address}:${params.jump.port}>` : ''}${params.address}:${params.port}`;
  let sock: Duplex | undefined;
  let via: string | undefined;
  if (params.jump) {
    via = `via bastion ${params.jump.user}@${params.jump.address}:${params.jump.port}`;
    const open = deps.openJumpSocket ?? privateJump(deps, knownHosts);
    sock = await open(params.jump, params.address, params.port).catch((err: unknown) => {
      throw new HostUnreachable(params.host, `${via}: ${err instanceof Error ? err.message : String(err)}`);
    });
  }
  return limit(sshd, () =>
    connectClient({
      host: params.host,
      address: params.address,
      port: params.port,
      user: params.user,
      auth,
      connectTimeoutMs: params.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      keepaliveIntervalMs: params.keepaliveIntervalMs ?? DEFAULTS.keepaliveIntervalMs,
      knownHosts,
      acceptNewHostKeys: params.acceptNewHostKeys ?? false,
      ...(sock ? { sock } : {}),
      ...(via ? { via } : {}),
    }),
  );
}

/** Without a pool: a bastion Client per call (used by connectSsh alone; the pool shares one). */
function privateJump(deps: SshDeps, knownHosts: KnownHosts) {
  return async (jump: SshParams, address: string, port: number): Promise<Duplex> => {
    const bastion = await openSshClient(jump, deps, knownHosts);
    const ch = await forwardOut(bastion, address, port);
    ch.once('close', () => bastion.end());
    return ch;
  };
}

export function forwardOut(bastion: Client, address: string, port: number): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    try {
      bastion.forwardOut('127.0.0.1', 0, address, port, (err, ch) => {
        if (err) reject(new Error(`cannot reach ${address}:${port} from the bastion: ${err.message}`));
        else resolve(ch);
      });
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

export async function connectSsh(params: SshParams, deps: SshDeps = {}): Promise<SshConnection> {
  const knownHosts = deps.knownHosts ?? (await KnownHosts.load(params.knownHostsFiles));
  const open = (): Promise<Client> => openSshClient(params, deps, knownHosts);
  const client = await open();
  return new SshConnection(params, client, open);
}

export class SshConnection implements Connection {
  readonly host: string;
  readonly stats: SshStats = {
    commands: 0,
    channelsOpened: 0,
    shellsOpened: 0,
    reconnects: 0,
    putsSkipped: 0,
    putsSent: 0,
    bytesSent: 0,
  };
  #client: Client;
  #limit: ChannelLimit;
  #pools = new Map<string, RemoteShellPool>();
  #shellBroken = false;
  #dropped: string | undefined;
  #closed = false;
  #reconnecting: Promise<void> | undefined;

  constructor(
    readonly params: SshParams,
    client: Client,
    private readonly reopen: () => Promise<Client>,
  ) {
    this.host = params.host;
    this.#limit = new ChannelLimit(params.maxChannels ?? DEFAULTS.maxChannels);
    this.#client = client;
    this.#watch(client);
  }

  /** 'shell' unless the option or a failed shell start switched this host to exec channels. */
  get transport(): 'shell' | 'exec' {
    return this.params.transport === 'exec' || this.#shellBroken ? 'exec' : 'shell';
  }

  async exec(cmd: Command, opts: SshExecOptions = {}): Promise<ExecResult> {
    const raw = await this.execRaw(cmd, opts);
    return { exitCode: raw.exitCode, stdout: raw.stdout.toString('utf8'), stderr: raw.stderr.toString('utf8'), durationMs: raw.durationMs };
  }

  /** exec with stdout/stderr as Buffers (binary-safe). */
  async execRaw(cmd: Command, opts: SshExecOptions = {}): Promise<RawExecResult> {
    const frame = frameCommand(cmd, opts);
    const become = this.#become(opts);
    const timeoutMs = opts.timeoutMs ?? this.params.commandTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      await this.#ensureConnected();
      const client = this.#client;
      this.stats.commands++;
      let outcome: ShellRunOutcome;
      try {
        outcome = await this.#run(frame, become, timeoutMs);
      } catch (err) {
        if (err instanceof BecomeError || !this.#lost(client)) throw err;
        outcome = { kind: 'died', stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), durationMs: 0 };
      }
      if (outcome.kind === 'done') return outcome.result;
      if (outcome.kind === 'timeout') {
        const note = `k3play: timed out after ${timeoutMs} ms (killed)\n`;
        return { exitCode: TIMEOUT_EXIT_CODE, stdout: outcome.stdout, stderr: Buffer.concat([outcome.stderr, Buffer.from(note)]), durationMs: outcome.durationMs };
      }
      if (this.#lost(client)) {
        if (opts.idempotent && attempt === 0 && this.stats.reconnects === 0) continue;
        throw new HostUnreachable(this.host, `connection lost while running a command (${this.#dropped ?? 'closed'}); it may or may not have run`);
      }
      const note = 'k3play: the remote shell died while running the command\n';
      return { exitCode: SHELL_DIED_EXIT_CODE, stdout: outcome.stdout, stderr: Buffer.concat([outcome.stderr, Buffer.from(note)]), durationMs: outcome.durationMs };
    }
  }

  /**
   * Opens the persistent shell the first command with these become options will use, now
   * (connection warm-up: its channel and PAM session, the slowest part of a login, overlap the
   * run's start). Nothing if the host uses exec channels; a failure is the first command's.
   */
  prewarm(opts: WarmShell = {}): void {
    if (this.transport !== 'shell' || this.#closed) return;
    this.#pool(this.#become(opts)).prefill();
  }

  put(path: string, content: string | Buffer, opts: PutOptions = {}): Promise<void> {
    return sshPut(this.#putTransport(), path, content, opts, this.stats);
  }

  get(path: string, opts: { sudo?: boolean } = {}): Promise<Buffer | null> {
    return sshGet(this.#putTransport(), path, opts);
  }

  async close(): Promise<void> {
    this.#closed = true;
    // The disconnect below ends the shells' channels with the connection.
    for (const p of this.#pools.values()) p.closeAll(false);
    this.#pools.clear();
    this.#client.end();
  }

  #putTransport(): PutTransport {
    return {
      run: (cmd, opts) => this.execRaw(cmd, { ...opts, idempotent: opts.stdin === undefined }),
      stream: (script, content, opts) => this.#stream(script, content, opts),
    };
  }

  #become(opts: { sudo?: boolean; becomeUser?: string }): BecomeSpec | undefined {
    if (!opts.sudo) return undefined;
    const user = opts.becomeUser ?? 'root';
    if (user === this.params.user) return undefined;
    return { method: this.params.becomeMethod ?? 'sudo', user };
  }

  #spec(become: BecomeSpec | undefined): ShellSpec {
    return {
      ...(become ? { become } : {}),
      ...(become && this.params.becomePassword ? { becomePassword: this.params.becomePassword } : {}),
      startTimeoutMs: Math.max(this.params.connectTimeoutMs ?? DEFAULTS.shellStartTimeoutMs, 1000),
    };
  }

  async #run(frame: FramedCommand, become: BecomeSpec | undefined, timeoutMs: number | undefined): Promise<ShellRunOutcome> {
    if (this.transport === 'shell') {
      try {
        return await this.#pool(become).use(async (shell) => {
          const o = await shell.run(frame, timeoutMs);
          if (o.kind === 'timeout') await this.#killTimedOut(shell.pgid, shell.pid, become, () => shell.close());
          return o;
        });
      } catch (err) {
        if (!(err instanceof ShellStartError)) throw err;
        // The persistent shell cannot start on this host: exec channels from now on.
        this.#shellBroken = true;
      }
    }
    const shell = await this.#openShell(become);
    try {
      const o = await shell.run(frame, timeoutMs, true);
      if (o.kind === 'timeout') await this.#killTimedOut(shell.pgid, shell.pid, become, () => undefined);
      return o;
    } finally {
      shell.close();
    }
  }

  #pool(become: BecomeSpec | undefined): RemoteShellPool {
    const key = become ? `${become.method}:${become.user ?? 'root'}` : 'login';
    let pool = this.#pools.get(key);
    if (!pool) {
      pool = new RemoteShellPool(
        () => this.#openShell(become),
        this.params.maxShells ?? DEFAULTS.maxShells,
        () => this.#limit.available > DEFAULTS.reservedChannels,
      );
      this.#pools.set(key, pool);
    }
    return pool;
  }

  async #openShell(become: BecomeSpec | undefined): Promise<RemoteShell> {
    const shell = await RemoteShell.open((c) => this.#openChannel(c), this.#spec(become));
    this.stats.shellsOpened++;
    return shell;
  }

  /** Kills the process group of a timed-out command from a fresh channel (as the same user). */
  async #killTimedOut(pgid: number, pid: number, become: BecomeSpec | undefined, dropShell: () => void): Promise<void> {
    const group = pgid > 1 ? pgid : pid;
    // dash's kill takes no `--`: `-N` after the signal option is a process group.
    const script = `kill -TERM -${group} 2>/dev/null || kill -TERM ${pid} 2>/dev/null; sleep 0.5; kill -KILL -${group} 2>/dev/null; true`;
    dropShell();
    try {
      const killer = await this.#openShell(become);
      try {
        await killer.run(frameCommand({ kind: 'sh', script }), 10_000, true);
      } finally {
        killer.close();
      }
    } catch {
      // Best effort: the shell channel is closed anyway.
    }
  }

  /** Streams `content` to `script`'s stdin on its own channel (large puts). */
  async #stream(script: ShellScript, content: Buffer, opts: { sudo?: boolean; becomeUser?: string }): Promise<{ exitCode: number; stderr: string }> {
    await this.#ensureConnected();
    const { channel } = await openWithHandshake((c) => this.#openChannel(c), script.script, this.#spec(this.#become(opts)));
    return new Promise((resolve, reject) => {
      let stderr = '';
      let exitCode: number | undefined;
      channel.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      channel.on('exit', (code: number | null) => (exitCode = code ?? SHELL_DIED_EXIT_CODE));
      channel.on('close', () => {
        if (exitCode === undefined) reject(new HostUnreachable(this.host, 'connection lost during a file transfer'));
        else resolve({ exitCode, stderr });
      });
      const chunk = 256 * 1024;
      let off = 0;
      const pump = (): void => {
        while (off < content.length) {
          const piece = content.subarray(off, off + chunk);
          off += piece.length;
          if (!channel.write(piece)) {
            channel.once('drain', pump);
            return;
          }
        }
        channel.end();
      };
      pump();
    });
  }

  #openChannel(command: string): Promise<ClientChannel> {
    const client = this.#client;
    return this.#limit.acquire().then(
      () =>
        new Promise<ClientChannel>((resolve, reject) => {
          const fail = (err: Error): void => {
            this.#limit.release();
            reject(this.#lost(client) ? new HostUnreachable(this.host, `connection lost (${this.#dropped ?? err.message})`) : err);
          };
          try {
            client.exec(command, (err, ch) => {
              if (err) return fail(err);
              this.stats.channelsOpened++;
              ch.once('close', () => this.#limit.release());
              resolve(ch);
            });
          } catch (err) {
            fail(err instanceof Error ? err : new Error(String(err)));
          }
        }),
    );
  }

  #watch(client: Client): void {
    client.on('error', (err: Error) => {
      if (client === this.#client) this.#dropped ??= err.message;
    });
    const gone = (): void => {
      if (client === this.#client && !this.#closed) this.#dropped ??= 'connection closed by the remote end';
    };
    client.on('end', gone);
    client.on('close', gone);
  }

  #lost(client: Client): boolean {
    return client !== this.#client || this.#dropped !== undefined;
  }

  /** Reconnects once after a drop; a second drop makes the host unreachable. */
  async #ensureConnected(): Promise<void> {
    if (this.#closed) throw new HostUnreachable(this.host, 'connection already closed');
    if (this.#dropped === undefined) return;
    if (this.#reconnecting) return this.#reconnecting;
    if (this.stats.reconnects >= 1) throw new HostUnreachable(this.host, `connection lost again (${this.#dropped}); not reconnecting twice`);
    this.#reconnecting = (async () => {
      const reason = this.#dropped;
      for (const p of this.#pools.values()) p.closeAll();
      this.#pools.clear();
      this.stats.reconnects++;
      try {
        const client = await this.reopen();
        this.#client = client;
        this.#limit = new ChannelLimit(this.params.maxChannels ?? DEFAULTS.maxChannels);
        this.#dropped = undefined;
        this.#watch(client);
      } catch (err) {
        throw err instanceof HostUnreachable ? new HostUnreachable(this.host, `connection lost (${reason}); reconnect failed: ${err.reason}`) : err;
      } finally {
        this.#reconnecting = undefined;
      }
    })();
    return this.#reconnecting;
  }
}
