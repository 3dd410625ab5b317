/**
 * SshPool: one SshConnection per host for the whole run, opened lazily on first use; one
 * bastion Client per jump host, shared by every host behind it (each target is reached through
 * `forwardOut` on that one bastion connection); a limit on handshakes in flight per sshd
 * (default 8, under MaxStartups' 10:30:100, which counts per sshd: many inventory hosts may be
 * one sshd) and one for the whole controller (default 64: key exchanges cost controller CPU and
 * descriptors), so a fan-out to hundreds of hosts connects in a few waves and none is refused.
 * known_hosts files are loaded once and shared, so a key accepted for one host is seen by the
 * next. It owns the Clients it opens and closes them all
 * in `closeAll`; it decides nothing about what runs on the hosts. `warm` opens a connection
 * before anyone asks for it (the run does, for the first play's hosts, while it validates the
 * playbook): the first `get` takes it only if it asks for exactly the same params, else the
 * early one is closed and a new one opened. A rollout gives every site's
 * pool one shared BastionCache: sites behind the same jump host then share one bastion
 * connection too, and the rollout (the cache's owner) closes it at the end.
 */
import type { Duplex } from 'node:stream';
import pLimit from 'p-limit';
import type { Client } from 'ssh2';
import { KnownHosts } from './known-hosts.js';
import { sameSshParams } from './ssh-params-equal.js';
import { connectSsh, forwardOut, openSshClient, type SshConnection, type SshDeps, type SshParams, type WarmShell } from './ssh-connection.js';
import type { Connection } from './types.js';

export interface SshPoolOptions {
  /** Handshakes in flight at once to one sshd (default 8, below MaxStartups' first number 10). */
  readonly maxConnecting?: number;
  /** Handshakes in flight at once in all (default 64). */
  readonly maxConnectingTotal?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Bastion connections shared with other pools; their owner closes them (closeAll here does not). */
  readonly bastions?: BastionCache;
}

/** Bastion Clients by `user@address:port`, shareable between pools. */
export class BastionCache {
  readonly clients = new Map<string, Promise<Client>>();

  get size(): number {
    return this.clients.size;
  }

  async closeAll(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.allSettled(all.map(async (b) => (await b).end()));
  }
}

interface PoolEntry {
  readonly params: SshParams;
  readonly conn: Promise<SshConnection>;
  /** Opened by warm() and not yet taken by get(). */
  warm: boolean;
}

export class SshPool {
  readonly #conns = new Map<string, PoolEntry>();
  readonly #bastions: Map<string, Promise<Client>>;
  readonly #ownsBastions: boolean;
  readonly #knownHosts = new Map<string, Promise<KnownHosts>>();
  readonly #limit: <T>(sshd: string, fn: () => Promise<T>) => Promise<T>;
  readonly #env: NodeJS.ProcessEnv | undefined;

  constructor(opts: SshPoolOptions = {}) {
    const total = pLimit(opts.maxConnectingTotal ?? 64);
    const perSshd = new Map<string, ReturnType<typeof pLimit>>();
    const each = opts.maxConnecting ?? 8;
    this.#limit = (sshd, fn) => {
      let l = perSshd.get(sshd);
      if (!l) perSshd.set(sshd, (l = pLimit(each)));
      return l(() => total(fn));
    };
    this.#env = opts.env;
    this.#bastions = opts.bastions?.clients ?? new Map();
    this.#ownsBastions = opts.bastions === undefined;
  }

  /** The host's connection, opened on first use; a failed open is retried on the next get. */
  get(params: SshParams): Promise<Connection> {
    return this.getSsh(params);
  }

  getSsh(params: SshParams): Promise<SshConnection> {
    const key = params.host;
    const e = this.#conns.get(key);
    if (e && !e.warm) return e.conn;
    if (e && sameSshParams(e.params, params)) {
      // The early connection is this one; its failure (already settled or not) is this get's.
      e.warm = false;
      this.#forgetOnFailure(e);
      return e.conn;
    }
    if (e) discard(e);
    return this.#add(params, false).conn;
  }

  /**
   * Starts opening the host's connection now, for a later get with the same params. Errors are
   * kept for that get (reported there, as if it had opened the connection); nothing is thrown.
   */
  warm(params: SshParams, shell?: WarmShell): void {
    if (this.#conns.has(params.host)) return;
    const e = this.#add(params, true);
    // Not once the pool has let go of it (closed, or replaced by a get with other params).
    e.conn.then((c) => shell && this.#isCurrent(e) && c.prewarm(shell), () => undefined);
  }

  #isCurrent(e: PoolEntry): boolean {
    return this.#conns.get(e.params.host) === e;
  }

  #add(params: SshParams, warm: boolean): PoolEntry {
    const e: PoolEntry = { params, conn: this.#open(params), warm };
    this.#conns.set(params.host, e);
    if (!warm) this.#forgetOnFailure(e);
    return e;
  }

  /** A failed open is retried by the next get. */
  #forgetOnFailure(e: PoolEntry): void {
    e.conn.catch(() => this.#isCurrent(e) && this.#conns.delete(e.params.host));
  }

  /** Number of bastion Clients opened (one per distinct jump host). */
  get bastionCount(): number {
    return this.#bastions.size;
  }

  async closeAll(): Promise<void> {
    const entries = [...this.#conns.values()];
    // A connection warmed but never asked for may still be connecting (to a dead host: until its
    // timeout); it is closed when it opens, without holding up the end of the run.
    for (const e of entries) if (e.warm) discard(e);
    const conns = entries.filter((e) => !e.warm).map((e) => e.conn);
    const bastions = this.#ownsBastions ? [...this.#bastions.values()] : [];
    this.#conns.clear();
    if (this.#ownsBastions) this.#bastions.clear();
    await Promise.allSettled(conns.map(async (c) => (await c).close()));
    await Promise.allSettled(bastions.map(async (b) => (await b).end()));
  }

  async #open(params: SshParams): Promise<SshConnection> {
    return connectSsh(params, await this.#deps(params));
  }

  async #deps(params: SshParams): Promise<SshDeps> {
    return {
      knownHosts: await this.#known(params.knownHostsFiles),
      connectLimit: this.#limit,
      openJumpSocket: (jump, address, port) => this.#jumpSocket(jump, address, port),
      ...(this.#env ? { env: this.#env } : {}),
    };
  }

  #known(files: readonly string[]): Promise<KnownHosts> {
    const key = files.join('\0');
    let k = this.#knownHosts.get(key);
    if (!k) {
      k = KnownHosts.load(files);
      this.#knownHosts.set(key, k);
    }
    return k;
  }

  async #jumpSocket(jump: SshParams, address: string, port: number): Promise<Duplex> {
    const bastion = await this.#bastion(jump);
    return forwardOut(bastion, address, port);
  }

  #bastion(jump: SshParams): Promise<Client> {
    const key = `${jump.user}@${jump.address}:${jump.port}`;
    let b = this.#bastions.get(key);
    if (!b) {
      b = this.#deps(jump).then((deps) => openSshClient(jump, deps, deps.knownHosts as KnownHosts));
      this.#bastions.set(key, b);
      b.then(
        (client) => client.once('close', () => this.#bastions.get(key) === b && this.#bastions.delete(key)),
        () => this.#bastions.delete(key),
      );
    }
    return b;
  }
}

/** Closes a pool entry's connection once it has opened (a failed one needs nothing). */
function discard(e: PoolEntry): void {
  void e.conn.then((c) => c.close(), () => undefined);
}
