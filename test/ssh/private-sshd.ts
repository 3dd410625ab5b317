/**
 * Test helper: a private sshd on 127.0.0.1 and a random high port, with its own config, host
 * key, client key and authorized_keys in a temp dir. Started as `/usr/sbin/sshd -D -e -f CONFIG`
 * and stopped by its PID only (never by name). Tests call `stop()` in afterAll; `stop()` also
 * removes the temp dir. It must not touch the system's sshd, its config or ~/.ssh.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';

export interface PrivateSshdOptions {
  /** Host key type generated for this sshd (default ed25519). */
  readonly hostKeyType?: 'ed25519' | 'ecdsa' | 'rsa';
  /** Reuse this host private key file instead of generating one. */
  readonly hostKeyPath?: string;
  /** Reuse this port (e.g. restart with a new host key on the same address). */
  readonly port?: number;
  /** Extra sshd_config lines appended at the end. */
  readonly extraConfig?: string;
}

export interface PrivateSshd {
  readonly port: number;
  /** `ssh-ed25519 AAAA...` (type + base64 blob, no comment). */
  readonly hostKeyPubLine: string;
  readonly hostKeyPath: string;
  readonly clientKeyPath: string;
  /** A known_hosts file that already trusts this sshd as `[127.0.0.1]:PORT`. */
  readonly knownHostsPath: string;
  readonly dir: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export function sshdAvailable(): boolean {
  return existsSync(SSHD) && process.getuid?.() === 0;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function keygen(type: string, path: string): void {
  const bits = type === 'rsa' ? ['-b', '3072'] : [];
  execFileSync('ssh-keygen', ['-q', '-t', type, ...bits, '-N', '', '-C', 'k3play-test', '-f', path]);
}

function pubLine(privPath: string): string {
  const text = readFileSync(`${privPath}.pub`, 'utf8').trim().split(/\s+/);
  return `${text[0]} ${text[1]}`;
}

async function waitListening(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode}): ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen on ${port}: ${log()}`);
}

export async function startPrivateSshd(opts: PrivateSshdOptions = {}): Promise<PrivateSshd> {
  mkdirSync('/run/sshd', { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'k3play-sshd-'));
  const hostKeyPath = opts.hostKeyPath ?? join(dir, 'host_key');
  if (!opts.hostKeyPath) keygen(opts.hostKeyType ?? 'ed25519', hostKeyPath);
  const clientKeyPath = join(dir, 'client_key');
  keygen('ed25519', clientKeyPath);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKeyPath}.pub`), { mode: 0o600 });
  const port = opts.port ?? (await freePort());
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKeyPath}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    'UsePAM no',
    'StrictModes no',
    'PermitRootLogin yes',
    'PasswordAuthentication yes',
    'MaxSessions 10',
    'MaxStartups 10:30:100',
    'LogLevel ERROR',
    'Subsystem sftp internal-sftp',
    opts.extraConfig ?? '',
  ].join('\n');
  const configPath = join(dir, 'sshd_config');
  writeFileSync(configPath, `${config}\n`);
  const hostKeyPubLine = pubLine(hostKeyPath);
  const knownHostsPath = join(dir, 'known_hosts');
  writeFileSync(knownHostsPath, `[127.0.0.1]:${port} ${hostKeyPubLine}\n`);

  const child = spawn(SSHD, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log += d.toString();
    if (log.length > 20_000) log = log.slice(-10_000);
  });
  try {
    await waitListening(port, child, () => log);
  } catch (err) {
    if (child.pid !== undefined && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const pid = child.pid ?? 0;
  return {
    port,
    hostKeyPubLine,
    hostKeyPath,
    clientKeyPath,
    knownHostsPath,
    dir,
    pid,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        process.kill(pid, 'SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) process.kill(pid, 'SIGKILL');
      }
      // Keep a reused host key's directory: the caller owns it.
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
