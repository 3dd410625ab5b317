/**
 * Become over ssh with a password: a throwaway user `k3play-test` (useradd + chpasswd, sudoers
 * drop-in requiring its password) logs in to a private sshd and runs commands as root and as
 * another user through the sudo persistent shell. The password must never appear in the argv
 * of any process (`ps -eo args` sampled all along) nor in command output. The user and the
 * drop-in are removed in afterAll. Skipped unless root with sudo installed.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/module-api/secret.js';
import { sh } from '../../src/module-api/shell-quote.js';
import { BecomeError } from '../../src/connection/remote-shell.js';
import { connectSsh, type SshConnection } from '../../src/connection/ssh-connection.js';
import { sshdAvailable, startPrivateSshd, type PrivateSshd } from './private-sshd.js';
import { CLEAN_ENV, sshdParams } from './ssh-params.js';

const USER = 'k3play-test';
const SUDOERS = '/etc/sudoers.d/k3play-test';
const canRun = sshdAvailable() && existsSync('/usr/bin/sudo') && existsSync('/usr/sbin/useradd');
const run = canRun ? describe : describe.skip;

run('ssh become (sudo with a password)', () => {
  const password = `pw-${randomBytes(9).toString('hex')}`;
  let sshd: PrivateSshd;
  let conn: SshConnection;
  let sampler: NodeJS.Timeout | undefined;
  const seenArgs: string[] = [];

  beforeAll(async () => {
    execFileSync('useradd', ['-m', '-s', '/bin/bash', USER]);
    execFileSync('chpasswd', { input: `${USER}:${password}\n` });
    writeFileSync(SUDOERS, `${USER} ALL=(ALL) ALL\n`, { mode: 0o440 });
    sshd = await startPrivateSshd();
    // sshd reads authorized_keys as the user: make the helper's files readable to it.
    chmodSync(sshd.dir, 0o755);
    chmodSync(join(sshd.dir, 'authorized_keys'), 0o644);
    conn = await connectSsh(sshdParams(sshd, { user: USER, becomePassword: new Secret(password) }), { env: CLEAN_ENV });
    sampler = setInterval(() => {
      try {
        const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
        if (ps.includes(password)) seenArgs.push(ps);
      } catch {
        // ps raced with an exiting process: ignore this sample.
      }
    }, 10);
  });

  afterAll(async () => {
    clearInterval(sampler);
    await conn?.close();
    await sshd?.stop();
    rmSync(SUDOERS, { force: true });
    try {
      execFileSync('userdel', ['-r', '-f', USER], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  });

  it('runs as the login user without sudo, as root with sudo', async () => {
    expect((await conn.exec(['id', '-un'])).stdout).toBe(`${USER}\n`);
    const r = await conn.exec(['id', '-un'], { sudo: true });
    expect(r.stdout).toBe('root\n');
    expect(r.stderr).toBe('');
  });

  it('become_user, stdin and env through the sudo shell', async () => {
    expect((await conn.exec(['id', '-un'], { sudo: true, becomeUser: 'nobody' })).stdout).toBe('nobody\n');
    const r = await conn.exec(sh`cat; echo " $K3"`, { sudo: true, stdin: 'in', env: { K3: 'v' } });
    expect(r.stdout).toBe('in v\n');
  });

  it('20 parallel sudo commands, then a timeout and recovery', async () => {
    const rs = await Promise.all(Array.from({ length: 20 }, () => conn.exec(['id', '-u'], { sudo: true })));
    expect(rs.every((r) => r.stdout === '0\n')).toBe(true);
    const t = await conn.exec(sh`sleep 30`, { sudo: true, timeoutMs: 300 });
    expect(t.exitCode).toBe(124);
    expect((await conn.exec(['id', '-u'], { sudo: true })).stdout).toBe('0\n');
  });

  it('put with sudo into a root-only directory', async () => {
    const f = `/root/k3play-become-${randomBytes(4).toString('hex')}`;
    try {
      await conn.put(f, 'secret-ish\n', { sudo: true, mode: '0600' });
      expect(readFileSync(f, 'utf8')).toBe('secret-ish\n');
      expect(statSync(f).mode & 0o777).toBe(0o600);
      expect((await conn.get(f, { sudo: true }))?.toString()).toBe('secret-ish\n');
      expect((await conn.exec(['cat', f])).exitCode).not.toBe(0); // not readable without sudo
    } finally {
      rmSync(f, { force: true });
    }
  });

  it.each([
    { name: 'wrong password', pw: new Secret('wrong-password-123'), msg: /become password was rejected/ },
    { name: 'no password', pw: undefined, msg: /requires a password/ },
  ])('$name → BecomeError', async ({ pw, msg }) => {
    const c = await connectSsh(sshdParams(sshd, { user: USER, ...(pw ? { becomePassword: pw } : {}) }), { env: CLEAN_ENV });
    try {
      const err = await c.exec(['true'], { sudo: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BecomeError);
      expect((err as Error).message).toMatch(msg);
    } finally {
      await c.close();
    }
  }, 30_000);

  it('the password never appeared in any process argv', () => {
    expect(seenArgs).toEqual([]);
  });
});
