/**
 * SshConnection put/get, host key checking, the bastion (two private sshds, the second reached
 * through forwardOut on the first) and the pool (one connection per host, shared bastion,
 * connect throttle), against private sshds on loopback.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostKeyRejected } from '../../src/connection/ssh-client.js';
import { connectSsh, type SshConnection } from '../../src/connection/ssh-connection.js';
import { BastionCache, SshPool } from '../../src/connection/ssh-pool.js';
import { HostUnreachable } from '../../src/connection/types.js';
import { freePort, sshdAvailable, startPrivateSshd, type PrivateSshd } from './private-sshd.js';
import { CLEAN_ENV, sshdParams } from './ssh-params.js';

const run = sshdAvailable() ? describe : describe.skip;

run('ssh put/get', () => {
  let sshd: PrivateSshd;
  let conn: SshConnection;
  let dir: string;
  beforeAll(async () => {
    sshd = await startPrivateSshd();
    conn = await connectSsh(sshdParams(sshd), { env: CLEAN_ENV });
    dir = mkdtempSync(join(tmpdir(), 'k3play-put-'));
  });
  afterAll(async () => {
    await conn?.close();
    await sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes content and mode; an unchanged file is not sent again, but its mode is fixed', async () => {
    const f = join(dir, 'a.conf');
    await conn.put(f, 'hello\n', { mode: '0640' });
    expect(readFileSync(f, 'utf8')).toBe('hello\n');
    expect(statSync(f).mode & 0o7777).toBe(0o640);
    const sent = conn.stats.bytesSent;
    await conn.put(f, 'hello\n', { mode: '0600' });
    expect(conn.stats.bytesSent).toBe(sent);
    expect(conn.stats.putsSkipped).toBe(1);
    expect(statSync(f).mode & 0o7777).toBe(0o600);
    await conn.put(f, 'changed');
    expect(readFileSync(f, 'utf8')).toBe('changed');
    expect(statSync(f).mode & 0o7777).toBe(0o600); // kept
  });

  it('large files (3 MiB, binary) are streamed; no temp files are left', async () => {
    const f = join(dir, 'big.bin');
    const data = randomBytes(3 * 1024 * 1024);
    await conn.put(f, data, { mode: '0644', owner: 'root', group: 'root' });
    expect(createHash('sha256').update(readFileSync(f)).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    const got = await conn.get(f);
    expect(got?.equals(data)).toBe(true);
    const ls = await conn.exec(['ls', '-A', dir]);
    expect(ls.stdout).not.toMatch(/k3play-/);
  });

  it('get of a missing file is null; put into a missing directory fails clearly', async () => {
    expect(await conn.get(join(dir, 'nope'))).toBeNull();
    await expect(conn.put(join(dir, 'no/such/dir/f'), 'x')).rejects.toThrow(/directory .* does not exist/);
  });

  it('a failed put leaves the old file intact', async () => {
    const f = join(dir, 'keep');
    writeFileSync(f, 'old');
    await expect(conn.put(f, 'new', { owner: 'k3play-no-such-user' })).rejects.toThrow(/put/);
    expect(readFileSync(f, 'utf8')).toBe('old');
    expect((await conn.exec(['ls', '-A', dir])).stdout).not.toMatch(/k3play-/);
  });
});

run('ssh host keys', () => {
  let sshd: PrivateSshd;
  let dir: string;
  beforeAll(async () => {
    sshd = await startPrivateSshd();
    dir = mkdtempSync(join(tmpdir(), 'k3play-kh-'));
  });
  afterAll(async () => {
    await sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('unknown host → refused with the fingerprint and how to accept', async () => {
    const kh = join(dir, 'empty_known_hosts');
    const err = await connectSsh(sshdParams(sshd, { knownHostsFiles: [kh] }), { env: CLEAN_ENV }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyRejected);
    const e = err as HostKeyRejected;
    expect(e.message).toMatch(/not known: ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}/);
    expect(e.hint).toMatch(/--accept-new-host-keys/);
    expect(e.hint).toMatch(/ssh-keyscan/);
  });

  it('--accept-new-host-keys writes it; then it is known', async () => {
    const kh = join(dir, 'accept_known_hosts');
    const c = await connectSsh(sshdParams(sshd, { knownHostsFiles: [kh], acceptNewHostKeys: true }), { env: CLEAN_ENV });
    await c.close();
    expect(readFileSync(kh, 'utf8')).toBe(`[127.0.0.1]:${sshd.port} ${sshd.hostKeyPubLine}\n`);
    const again = await connectSsh(sshdParams(sshd, { knownHostsFiles: [kh] }), { env: CLEAN_ENV });
    await again.close();
  });

  it('a hashed entry is accepted', async () => {
    const kh = join(dir, 'hashed');
    writeFileSync(kh, `[127.0.0.1]:${sshd.port} ${sshd.hostKeyPubLine}\n`);
    const { execFileSync } = await import('node:child_process');
    execFileSync('ssh-keygen', ['-H', '-f', kh], { stdio: 'ignore' });
    expect(readFileSync(kh, 'utf8')).toMatch(/^\|1\|/);
    const c = await connectSsh(sshdParams(sshd, { knownHostsFiles: [kh] }), { env: CLEAN_ENV });
    await c.close();
  });

  it('a changed key is refused loudly, even with --accept-new-host-keys', async () => {
    const port = await freePort();
    const other = await startPrivateSshd({ port });
    try {
      const kh = join(dir, 'changed');
      // Trust sshd's key for the other sshd's address: the other one presents a different key.
      writeFileSync(kh, `# comment\n[127.0.0.1]:${port} ${sshd.hostKeyPubLine}\n`);
      const err = await connectSsh(sshdParams(other, { knownHostsFiles: [kh], acceptNewHostKeys: true }), { env: CLEAN_ENV }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HostKeyRejected);
      const e = err as HostKeyRejected;
      expect(e.message).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED for h1 \(127\.0\.0\.1:\d+\): expected SHA256:\S+ \(ssh-ed25519\), got SHA256:/);
      expect(e.hint).toContain(`${kh}:2`);
      expect(readFileSync(kh, 'utf8').split('\n')).toHaveLength(3); // nothing appended
    } finally {
      await other.stop();
    }
  });

  it.each([
    { name: 'connection refused', over: async () => ({ port: await freePort() }), reason: /connection refused/ },
    { name: 'auth failure lists methods', over: async () => ({ privateKeyFile: join(dir, 'nokey') }), reason: /authentication failed for user root .*tried nothing.*not found/ },
  ])('$name → HostUnreachable', async ({ over, reason }) => {
    const err = await connectSsh(sshdParams(sshd, await over()), { env: CLEAN_ENV }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostUnreachable);
    expect((err as HostUnreachable).reason).toMatch(reason);
  });
});

run('ssh bastion and pool', () => {
  let bastion: PrivateSshd;
  let target: PrivateSshd;
  beforeAll(async () => {
    [bastion, target] = await Promise.all([startPrivateSshd(), startPrivateSshd()]);
  });
  afterAll(async () => {
    await target?.stop();
    await bastion?.stop();
  });

  it('reaches the target through forwardOut on one shared bastion connection', async () => {
    const pool = new SshPool({ env: CLEAN_ENV, maxConnecting: 2 });
    try {
      const jump = sshdParams(bastion, { host: 'bastion' });
      const hosts = ['t1', 't2', 't3'].map((h) => sshdParams(target, { host: h, jump }));
      const conns = await Promise.all(hosts.map((h) => pool.get(h)));
      const outs = await Promise.all(conns.map((c) => c.exec(['sh', '-c', 'echo $SSH_CONNECTION'])));
      // The target sees connections from loopback (forwarded by the bastion's sshd).
      for (const o of outs) expect(o.stdout).toMatch(new RegExp(` ${target.port}\\n$`));
      expect(pool.bastionCount).toBe(1);
      expect(await pool.get(hosts[0]!)).toBe(conns[0]); // one connection per host
    } finally {
      await pool.closeAll();
    }
  });

  it('pools of several sites (a rollout) share one BastionCache: one bastion connection, closed by its owner', async () => {
    const bastions = new BastionCache();
    const sites = [new SshPool({ env: CLEAN_ENV, bastions }), new SshPool({ env: CLEAN_ENV, bastions })];
    try {
      const jump = sshdParams(bastion, { host: 'bastion' });
      // Both sites have a host called "node1": each pool keeps its own connection to it.
      const conns = await Promise.all(sites.map((p) => p.get(sshdParams(target, { host: 'node1', jump }))));
      expect(conns[0]).not.toBe(conns[1]);
      for (const c of conns) expect((await c.exec(['true'])).exitCode).toBe(0);
      expect(bastions.size).toBe(1);
      await sites[0]!.closeAll(); // one site ends: the shared bastion stays up for the other
      expect((await conns[1]!.exec(['true'])).exitCode).toBe(0);
      expect(bastions.size).toBe(1);
    } finally {
      await Promise.all(sites.map((p) => p.closeAll()));
      await bastions.closeAll();
    }
    expect(bastions.size).toBe(0);
  });

  it('a target the bastion cannot reach → HostUnreachable naming the bastion', async () => {
    const pool = new SshPool({ env: CLEAN_ENV });
    try {
      const jump = sshdParams(bastion, { host: 'bastion' });
      const err = await pool.get(sshdParams(target, { host: 'tx', port: await freePort(), jump })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HostUnreachable);
      expect((err as HostUnreachable).reason).toMatch(/via bastion root@127\.0\.0\.1:\d+: cannot reach/);
    } finally {
      await pool.closeAll();
    }
  });

  it('throttles handshakes: 30 hosts with maxConnecting 4 all connect', async () => {
    const pool = new SshPool({ env: CLEAN_ENV, maxConnecting: 4 });
    try {
      const conns = await Promise.all(Array.from({ length: 30 }, (_, i) => pool.get(sshdParams(target, { host: `n${i}` }))));
      const rs = await Promise.all(conns.map((c) => c.exec(['true'])));
      expect(rs.every((r) => r.exitCode === 0)).toBe(true);
    } finally {
      await pool.closeAll();
    }
  });
});
