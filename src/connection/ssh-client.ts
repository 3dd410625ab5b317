/**
 * Opens one authenticated ssh2 Client: TCP (or a forwarded bastion channel), Nagle off
 * (`setNoDelay(true)`, always: Nagle meeting delayed ACK costs ~40 ms per round trip),
 * keepalive, handshake timeout, host key checked against known_hosts, auth from an AuthPlan.
 * Every failure becomes a HostUnreachable whose reason names the cause (refused, timeout,
 * auth methods tried, host key). It does not pool or retry; ssh-pool.ts and ssh-connection.ts do.
 */
import type { Duplex } from 'node:stream';
// ssh2 is CommonJS: Node's ESM loader exposes only its default export (vitest hides this).
import ssh2 from 'ssh2';
import type { AnyAuthMethod, Client as ClientType, ConnectConfig } from 'ssh2';

const { Client } = ssh2;
type Client = ClientType;
import { HostUnreachable } from './types.js';
import { fingerprintSha256, keyTypeOfBlob, type KnownHosts } from './known-hosts.js';
import type { AuthPlan } from './ssh-auth.js';

export interface ClientTarget {
  /** Inventory name (messages only). */
  readonly host: string;
  readonly address: string;
  readonly port: number;
  readonly user: string;
  readonly auth: AuthPlan;
  readonly connectTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
  readonly knownHosts: KnownHosts;
  readonly acceptNewHostKeys: boolean;
  /** A stream to the target's sshd through a bastion (forwardOut); direct TCP when absent. */
  readonly sock?: Duplex;
  /** `via bastion user@b:22` for messages. */
  readonly via?: string;
}

/** The host key was unknown or did not match: refused; the message says what to do. */
export class HostKeyRejected extends HostUnreachable {
  constructor(
    host: string,
    reason: string,
    readonly hint: string,
  ) {
    // The hint is part of the reason too: the engine reports an unreachable host by its reason
    // alone, and a refused key without "what to do" leaves the operator stuck.
    super(host, `${reason}; ${hint}`);
    this.name = 'HostKeyRejected';
  }
}

const HOST_KEY_ALGOS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** Host key algorithms with the types already known for this host first (like OpenSSH). */
export function preferredHostKeyAlgos(knownTypes: readonly string[]): string[] {
  const first = knownTypes.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]));
  return [...new Set([...first.filter((a) => HOST_KEY_ALGOS.includes(a)), ...HOST_KEY_ALGOS])];
}

export function connectClient(t: ClientTarget): Promise<Client> {
  const client = new Client();
  const where = `${t.address}:${t.port}${t.via ? ` ${t.via}` : ''}`;
  let keyRejection: HostKeyRejected | undefined;
  const tried: string[] = [];
  let serverMethods: string[] = [];

  const hostVerifier = (blob: Buffer, verify: (ok: boolean) => void): void => {
    const v = t.knownHosts.verify(t.address, t.port, blob);
    const got = fingerprintSha256(blob);
    if (v.status === 'known') return verify(true);
    if (v.status === 'revoked') {
      keyRejection = new HostKeyRejected(
        t.host,
        `host key ${got} of ${t.host} (${where}) is marked @revoked in ${v.entry.file}:${v.entry.line}`,
        'the key was revoked on purpose: do not connect until the host has a new key',
      );
      return verify(false);
    }
    if (v.status === 'changed') {
      const e = v.expected;
      keyRejection = new HostKeyRejected(
        t.host,
        `REMOTE HOST IDENTIFICATION HAS CHANGED for ${t.host} (${where}): expected ${fingerprintSha256(e.key)} (${e.keyType}), got ${got} (${keyTypeOfBlob(blob)})`,
        `if the host was rebuilt, remove the old line from ${e.file}:${e.line}; otherwise someone may be intercepting the connection`,
      );
      return verify(false);
    }
    if (!t.acceptNewHostKeys) {
      keyRejection = new HostKeyRejected(
        t.host,
        `host key of ${t.host} (${where}) is not known: ${keyTypeOfBlob(blob)} ${got}`,
        `run with --accept-new-host-keys to trust it (writes ${t.knownHosts.files[0] ?? 'known_hosts'}) or add it with ssh-keyscan -p ${t.port} ${t.address}`,
      );
      return verify(false);
    }
    t.knownHosts.append(t.address, t.port, blob).then(
      () => verify(true),
      (err: unknown) => {
        keyRejection = new HostKeyRejected(
          t.host,
          `cannot record the new host key of ${t.host} (${got}): ${err instanceof Error ? err.message : String(err)}`,
          'check that the known_hosts file is writable',
        );
        verify(false);
      },
    );
  };

  const options = [...t.auth.options];
  const authHandler = (methodsLeft: string[] | null, _partial: boolean, next: (m: AnyAuthMethod | false) => void): void => {
    if (methodsLeft) serverMethods = methodsLeft;
    let opt = options.shift();
    // Skip methods the server does not accept (agent is publickey on the wire).
    while (opt && methodsLeft && !methodsLeft.includes(opt.method.type === 'agent' ? 'publickey' : opt.method.type)) {
      opt = options.shift();
    }
    if (!opt) return next(false);
    tried.push(opt.label);
    next(opt.method);
  };

  const config: ConnectConfig = {
    host: t.address,
    port: t.port,
    username: t.user,
    readyTimeout: t.connectTimeoutMs,
    keepaliveInterval: t.keepaliveIntervalMs,
    keepaliveCountMax: 3,
    hostVerifier,
    authHandler: authHandler as unknown as ConnectConfig['authHandler'],
    algorithms: { serverHostKey: preferredHostKeyAlgos(t.knownHosts.knownKeyTypes(t.address, t.port)) as never },
    ...(t.sock ? { sock: t.sock as unknown as ConnectConfig['sock'] } : {}),
  };

  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    const fail = (reason: string): void => {
      if (settled) return;
      settled = true;
      client.end();
      reject(keyRejection ?? new HostUnreachable(t.host, reason));
    };
    client.once('ready', () => {
      settled = true;
      client.setNoDelay(true);
      resolve(client);
    });
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (settled) return;
      fail(describeConnectError(err, t, where, tried, serverMethods));
    });
    client.once('close', () => fail(`connection to ${where} closed during the handshake`));
    try {
      client.connect(config);
      // Before the TCP connect completes node remembers the flag and applies it on connect.
      client.setNoDelay(true);
    } catch (err) {
      fail(`cannot connect to ${where}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
}

export function describeConnectError(
  err: Error & { level?: string; code?: string },
  t: Pick<ClientTarget, 'user' | 'auth' | 'connectTimeoutMs'>,
  where: string,
  tried: readonly string[],
  serverMethods: readonly string[],
): string {
  if (err.level === 'client-authentication') {
    const notes = t.auth.notes.length ? `; not offered: ${t.auth.notes.join('; ')}` : '';
    const offered = tried.length ? tried.join(', ') : 'nothing (no usable key, agent or password)';
    const server = serverMethods.length ? `; server accepts: ${serverMethods.join(',')}` : '';
    return `authentication failed for user ${t.user} at ${where}: tried ${offered}${server}${notes}`;
  }
  if (err.level === 'client-timeout') return `timed out after ${t.connectTimeoutMs} ms connecting to ${where}`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `connection refused by ${where} (is sshd running on that port?)`;
    case 'ETIMEDOUT':
      return `timed out connecting to ${where}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no route to ${where} (${err.code})`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve ${where} (${err.code})`;
    case 'ECONNRESET':
      return `connection reset by ${where} (sshd MaxStartups or a firewall?)`;
    default:
      return `cannot connect to ${where}: ${err.message}`;
  }
}
