/**
 * OpenSSH known_hosts: parsing, lookup and verification of a host key, plus the atomic append
 * used by --accept-new-host-keys. Supports plain entries (`h1,10.0.0.5 ssh-ed25519 AAAA...`),
 * `[host]:port`, wildcard/negated patterns, hashed entries (`|1|salt|hash`, HMAC-SHA1) and the
 * `@revoked` marker (a revoked key is a mismatch). `@cert-authority` lines are ignored: host
 * certificates are not supported by ssh2. It decides only; it never opens a connection and it
 * writes only through `appendKnownHost`.
 */
import { createHash, createHmac } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readSshFile } from './read-ssh-file.js';
import { matchHostPatternList } from './ssh-host-pattern.js';

export interface KnownHostEntry {
  readonly file: string;
  readonly line: number;
  readonly marker?: 'revoked' | 'cert-authority';
  /** Comma-separated patterns, or a single `|1|salt|hash`. */
  readonly hosts: string;
  readonly keyType: string;
  /** Raw key blob (base64-decoded). */
  readonly key: Buffer;
}

export type HostKeyVerdict =
  | { readonly status: 'known'; readonly entry: KnownHostEntry }
  | { readonly status: 'unknown' }
  | { readonly status: 'changed'; readonly expected: KnownHostEntry }
  | { readonly status: 'revoked'; readonly entry: KnownHostEntry };

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift();
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else return;
    }
    const [hosts, keyType, b64] = fields;
    if (!hosts || !keyType || !b64) return;
    const key = Buffer.from(b64, 'base64');
    if (key.length === 0) return;
    out.push({ file, line: i + 1, ...(marker ? { marker } : {}), hosts, keyType, key });
  });
  return out;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Does one entry's host field match `name` (already in `[host]:port` form)? */
export function entryMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt, hash] = hosts.split('|');
    if (!salt || !hash) return false;
    const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return mac === hash;
  }
  return matchHostPatternList(hosts, name) === true;
}

/** Key type string encoded at the start of an SSH public key blob. */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) return '';
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** `SHA256:<base64 without padding>`, as printed by `ssh-keygen -l`. */
export function fingerprintSha256(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export class KnownHosts {
  readonly #entries: KnownHostEntry[];
  #appendChain: Promise<void> = Promise.resolve();

  constructor(
    entries: readonly KnownHostEntry[],
    /** Files in lookup order; accepted keys are appended to the first. */
    readonly files: readonly string[],
  ) {
    this.#entries = [...entries];
  }

  /** Loads every file that exists (read-ssh-file.ts); a missing file is simply empty. */
  static async load(files: readonly string[]): Promise<KnownHosts> {
    const entries: KnownHostEntry[] = [];
    for (const f of files) {
      const text = readSshFile(f, 'known_hosts file');
      entries.push(...parseKnownHosts(text, f));
    }
    return new KnownHosts(entries, files);
  }

  /** Entries (not cert-authority) whose host field matches host:port. */
  lookup(host: string, port: number): KnownHostEntry[] {
    const name = knownHostName(host, port);
    return this.#entries.filter((e) => e.marker !== 'cert-authority' && entryMatches(e.hosts, name));
  }

  /** Key types known for the host, in file order (used to prefer them in the handshake). */
  knownKeyTypes(host: string, port: number): string[] {
    return [...new Set(this.lookup(host, port).filter((e) => !e.marker).map((e) => e.keyType))];
  }

  /**
   * OpenSSH semantics: a revoked key is refused; the same key for the host is known; any other
   * key while the host has entries is changed (another key type counts as changed too: the
   * handshake prefers the known types, so a different type means the server lost that key).
   */
  verify(host: string, port: number, blob: Buffer): HostKeyVerdict {
    const matches = this.lookup(host, port);
    const revoked = this.#entries.find((e) => e.marker === 'revoked' && e.key.equals(blob));
    if (revoked) return { status: 'revoked', entry: revoked };
    const type = keyTypeOfBlob(blob);
    const plain = matches.filter((e) => !e.marker);
    const same = plain.find((e) => e.keyType === type && e.key.equals(blob));
    if (same) return { status: 'known', entry: same };
    const expected = plain.find((e) => e.keyType === type) ?? plain[0];
    if (expected) return { status: 'changed', expected };
    return { status: 'unknown' };
  }

  /**
   * Appends `name keytype base64` to the first file in one write (O_APPEND: concurrent
   * appenders never interleave a line), creating the file (0600) and its directory (0700).
   * Appends from this process are serialised.
   */
  async append(host: string, port: number, blob: Buffer): Promise<KnownHostEntry> {
    const file = this.files[0];
    if (!file) throw new Error('no known_hosts file configured to write an accepted host key to');
    const keyType = keyTypeOfBlob(blob);
    const hosts = knownHostName(host, port);
    const entry: KnownHostEntry = { file, line: 0, hosts, keyType, key: blob };
    const job = this.#appendChain.then(async () => {
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      const existing = await readFile(file).catch(() => Buffer.alloc(0));
      const lead = existing.length > 0 && existing[existing.length - 1] !== 0x0a ? '\n' : '';
      await appendFile(file, `${lead}${hosts} ${keyType} ${blob.toString('base64')}\n`, { mode: 0o600 });
      const lineNo = (existing.toString('utf8').match(/\n/g)?.length ?? 0) + (lead ? 2 : 1);
      this.#entries.push({ ...entry, line: lineNo });
    });
    this.#appendChain = job.catch(() => undefined);
    await job;
    return entry;
  }
}
