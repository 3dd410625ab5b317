/**
 * Per-host identity written into a host's overlay (so it lands in the upper dir, never in the
 * shared base): hostname, machine-id, /etc/hosts naming every lab host, an ed25519 ssh host
 * key generated on the controller, and root's authorized_keys with the lab key. Returns the
 * host public key for known_hosts. It does not mount or start anything.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runChecked } from './run-command.js';

export interface HostIdentityInput {
  readonly root: string;
  readonly hostname: string;
  /** All lab hosts (name, ip) for /etc/hosts. */
  readonly peers: readonly { readonly name: string; readonly ip: string }[];
  readonly authorizedKey: string;
}

export async function writeHostIdentity(h: HostIdentityInput): Promise<string> {
  const etc = join(h.root, 'etc');
  writeFileSync(join(etc, 'hostname'), `${h.hostname}\n`);
  writeFileSync(join(etc, 'machine-id'), `${randomBytes(16).toString('hex')}\n`);
  const hosts = ['127.0.0.1\tlocalhost', `127.0.1.1\t${h.hostname}`, '::1\tlocalhost ip6-localhost ip6-loopback'];
  for (const p of h.peers) if (p.name !== h.hostname) hosts.push(`${p.ip}\t${p.name}`);
  writeFileSync(join(etc, 'hosts'), `${hosts.join('\n')}\n`);
  const key = join(etc, 'ssh', 'ssh_host_ed25519_key');
  rmSync(key, { force: true });
  rmSync(`${key}.pub`, { force: true });
  await runChecked(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `root@${h.hostname}`, '-f', key]);
  const sshDir = join(h.root, 'root', '.ssh');
  mkdirSync(sshDir, { recursive: true, mode: 0o700 });
  chmodSync(sshDir, 0o700);
  writeFileSync(join(sshDir, 'authorized_keys'), `${h.authorizedKey.trim()}\n`, { mode: 0o600 });
  const pub = readFileSync(`${key}.pub`, 'utf8').trim().split(/\s+/);
  return `${pub[0]} ${pub[1]}`;
}

/** The lab's controller key pair (id_ed25519, 0600) in the lab dir; returns the public key. */
export async function createLabKey(keyFile: string, comment: string): Promise<string> {
  rmSync(keyFile, { force: true });
  rmSync(`${keyFile}.pub`, { force: true });
  await runChecked(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', keyFile]);
  chmodSync(keyFile, 0o600);
  return readFileSync(`${keyFile}.pub`, 'utf8').trim();
}
