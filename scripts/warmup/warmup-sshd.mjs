// Build-time only (scripts/bundle.mjs): a throwaway SSH server on 127.0.0.1 for the code-cache
// warm-up run, so the cache also holds the code of k3play's SSH path (ssh2's client, key
// exchange and ciphers, host key check, the persistent remote shell and its framing, put), which
// a warm-up over the local connection alone never runs and every real run then compiled afresh:
// ~20-30 ms of CPU per run on a 5-host lab. ssh2's own Server, so the build needs no sshd and no
// root: keys are generated for this run, only this run's client key is accepted, and each exec
// channel runs its command with /bin/sh as the building user, inside the warm-up's scratch
// directory (scripts/warmup/warmup.yml). Listens on loopback only and is closed when the warm-up ends.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';

const { Server, utils } = ssh2;

/**
 * Starts the server; writes `client_key` and `known_hosts` (trusting this server as
 * `[127.0.0.1]:PORT`) into `dir`. Resolves { port, clientKeyFile, knownHostsFile, close }.
 */
export async function startWarmupSshd(dir) {
  const host = utils.generateKeyPairSync('ed25519');
  const client = utils.generateKeyPairSync('ed25519');
  const allowed = utils.parseKey(client.public);
  const clientKeyFile = join(dir, 'client_key');
  writeFileSync(clientKeyFile, client.private, { mode: 0o600 });
  const children = new Set();
  const server = new Server({ hostKeys: [host.private] }, (conn) => {
    conn.on('error', () => undefined);
    // Nagle against the client's delayed ACKs would stall every small reply ~40 ms.
    conn._sock?.setNoDelay?.(true);
    conn.on('authentication', (ctx) => {
      const ok = ctx.method === 'publickey'
        && ctx.key.algo === allowed.type
        && ctx.key.data.equals(allowed.getPublicSSH())
        && (!ctx.signature || allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true);
      if (ok) ctx.accept();
      else ctx.reject(['publickey']);
    });
    conn.on('ready', () => {
      conn.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('env', (accept) => accept?.());
        session.on('pty', (_accept, reject) => reject?.());
        session.on('shell', (_accept, reject) => reject?.());
        session.on('exec', (accept, _reject, info) => {
          const stream = accept();
          const child = spawn('/bin/sh', ['-c', info.command], {
            env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/', LANG: 'C.UTF-8' },
            stdio: ['pipe', 'pipe', 'pipe'],
            detached: true,
          });
          children.add(child);
          child.stdout.pipe(stream, { end: false });
          child.stderr.pipe(stream.stderr, { end: false });
          stream.pipe(child.stdin).on('error', () => undefined);
          child.stdin.on('error', () => undefined);
          let outputs = 2;
          let code = null;
          const finish = () => {
            if (outputs > 0 || code === null) return;
            stream.exit(code);
            stream.end();
          };
          child.stdout.on('end', () => { outputs--; finish(); });
          child.stderr.on('end', () => { outputs--; finish(); });
          child.on('close', (c, signal) => { children.delete(child); code = c ?? (signal ? 128 : 1); finish(); });
          child.on('error', () => { children.delete(child); code = 127; outputs = 0; finish(); });
          stream.on('close', () => { if (children.has(child)) killGroup(child.pid); });
        });
      });
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = server.address().port;
  const knownHostsFile = join(dir, 'known_hosts');
  writeFileSync(knownHostsFile, `[127.0.0.1]:${port} ${host.public.split(' ').slice(0, 2).join(' ')}\n`);
  return {
    port,
    clientKeyFile,
    knownHostsFile,
    close: () => new Promise((resolve) => {
      for (const c of children) killGroup(c.pid);
      server.close(() => resolve());
    }),
  };
}

function killGroup(pid) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * The warm-up inventory in `dir`: `warm-ssh` through this server, `localhost` through the local
 * connection, each with its own scratch_dir under `dir`. Returns the inventory's path.
 */
export function writeWarmupInventory(dir, sshd) {
  const inventory = join(dir, 'warmup.ini');
  writeFileSync(inventory, [
    `warm-ssh ansible_host=127.0.0.1 ansible_port=${sshd.port} ansible_user=${userInfo().username} ansible_ssh_private_key_file=${sshd.clientKeyFile} ansible_ssh_common_args="-o UserKnownHostsFile=${sshd.knownHostsFile} -o StrictHostKeyChecking=yes" scratch_dir=${join(dir, 'ssh')}`,
    `localhost ansible_connection=local scratch_dir=${join(dir, 'local')}`,
    '',
  ].join('\n'));
  return inventory;
}
