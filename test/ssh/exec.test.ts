/**
 * SshConnection.exec against a private sshd on loopback: exit codes, stdout/stderr, output
 * without a trailing newline, binary and large output, stdin (1 MiB), env, cwd, 200 sequential
 * commands (latency printed), 20 in parallel, timeout + recovery, `exit` inside a command, a
 * dropped connection, and the same checks over exec-per-channel.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sh } from '../../src/module-api/shell-quote.js';
import { connectSsh, type SshConnection } from '../../src/connection/ssh-connection.js';
import { HostUnreachable } from '../../src/connection/types.js';
import { sshdAvailable, startPrivateSshd, type PrivateSshd } from './private-sshd.js';
import { CLEAN_ENV, sshdParams } from './ssh-params.js';

const run = sshdAvailable() ? describe : describe.skip;

for (const transport of ['shell', 'exec'] as const) {
  run(`ssh exec over ${transport}`, () => {
    let sshd: PrivateSshd;
    let conn: SshConnection;
    beforeAll(async () => {
      sshd = await startPrivateSshd();
      conn = await connectSsh(sshdParams(sshd, { transport }), { env: CLEAN_ENV });
    });
    afterAll(async () => {
      await conn?.close();
      await sshd?.stop();
    });

    it.each([
      { name: 'argv', cmd: ['echo', 'a b', "it's"] as const, exitCode: 0, stdout: "a b it's\n", stderr: '' },
      { name: 'no trailing newline', cmd: sh`printf abc`, exitCode: 0, stdout: 'abc', stderr: '' },
      { name: 'two trailing newlines', cmd: sh`printf 'abc\n\n'`, exitCode: 0, stdout: 'abc\n\n', stderr: '' },
      { name: 'stderr and exit code', cmd: sh`echo out; echo err >&2; exit 7`, exitCode: 7, stdout: 'out\n', stderr: 'err\n' },
      { name: 'stderr without newline', cmd: sh`printf e >&2`, exitCode: 0, stdout: '', stderr: 'e' },
      { name: 'missing command', cmd: ['k3play-no-such-command'] as const, exitCode: 127, stdout: '', stderr: /not found/ },
      { name: 'syntax error stays in the command', cmd: { kind: 'sh', script: 'echo "unterminated' } as const, exitCode: 2, stdout: '', stderr: /Syntax error|unterminated|Unterminated/i },
      { name: 'killed by a signal', cmd: sh`sh -c 'kill -9 $$'`, exitCode: 137, stdout: '', stderr: /^(Killed\n)?$/ },
      { name: 'stdin is empty by default', cmd: sh`cat; echo done`, exitCode: 0, stdout: 'done\n', stderr: '' },
      { name: 'output looking like a marker', cmd: sh`printf '\nk3m0000 000\n'`, exitCode: 0, stdout: '\nk3m0000 000\n', stderr: '' },
    ])('$name', async ({ cmd, exitCode, stdout, stderr }) => {
      const r = await conn.exec(cmd);
      expect(r.exitCode).toBe(exitCode);
      expect(r.stdout).toBe(stdout);
      if (typeof stderr === 'string') expect(r.stderr).toBe(stderr);
      else expect(r.stderr).toMatch(stderr);
    });

    it('exit / cd / exec inside a command do not affect the shell', async () => {
      expect((await conn.exec(sh`cd /tmp; exit 3`)).exitCode).toBe(3);
      expect((await conn.exec(sh`exec true`)).exitCode).toBe(0);
      const r = await conn.exec(['pwd']);
      expect(r.stdout).not.toBe('/tmp\n');
    });

    it('env and cwd per command', async () => {
      const r = await conn.exec(sh`echo "$K3_A|$K3_B|$(pwd)"`, { env: { K3_A: 'x y', K3_B: "q'uote" }, cwd: '/tmp' });
      expect(r.stdout).toBe("x y|q'uote|/tmp\n");
      expect((await conn.exec(['pwd'], { cwd: '/nonexistent-k3play' })).exitCode).not.toBe(0);
      await expect(conn.exec(['true'], { env: { 'BAD-NAME': '1' } })).rejects.toThrow(/invalid environment variable/);
    });

    it('binary stdout round trip and a large output (8 MB)', async () => {
      const bin = randomBytes(4096);
      const r = await conn.execRaw(['cat'], { stdin: bin });
      expect(r.stdout.equals(bin)).toBe(true);
      const big = await conn.execRaw(sh`head -c 8000000 /dev/zero | tr '\\0' x`);
      expect(big.stdout.length).toBe(8_000_000);
      expect(big.exitCode).toBe(0);
    });

    it('stdin: 1 MiB binary payload, and a text without trailing newline', async () => {
      const payload = randomBytes(1024 * 1024);
      const r = await conn.exec(sh`sha256sum | cut -c1-64`, { stdin: payload });
      const { createHash } = await import('node:crypto');
      expect(r.stdout.trim()).toBe(createHash('sha256').update(payload).digest('hex'));
      expect((await conn.exec(['cat'], { stdin: 'no newline' })).stdout).toBe('no newline');
    });

    it('20 commands in parallel', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => conn.exec(sh`sleep 0.1; echo ${String(i)}`)));
      results.forEach((r, i) => expect(r.stdout).toBe(`${i}\n`));
    });

    it('timeout kills the command (exit 124) and the next command works', async () => {
      const r = await conn.exec(sh`echo started; sleep 30`, { timeoutMs: 500 });
      expect(r.exitCode).toBe(124);
      expect(r.stderr).toMatch(/timed out after 500 ms/);
      const after = await conn.exec(['echo', 'alive']);
      expect(after.stdout).toBe('alive\n');
      // The sleep was killed with its process group.
      await new Promise((res) => setTimeout(res, 800));
      const ps = await conn.exec(sh`ps -eo args | grep -c '^sleep 30$' || true`);
      expect(ps.stdout.trim()).toBe('0');
    });

    // exec-per-channel costs one sshd session per command (~120 ms on the test machine): fewer runs.
    const n = transport === 'shell' ? 200 : 30;
    it(`${n} sequential commands (latency)`, async () => {
      await conn.exec(['true']);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const r = await conn.exec(['echo', String(i)]);
        expect(r.stdout).toBe(`${i}\n`);
      }
      const per = (performance.now() - t0) / n;
      console.log(`[perf] ${transport}: ${per.toFixed(2)} ms per command, ${(1000 / per).toFixed(0)} commands/s`);
    });
  });
}

run('ssh dropped connection', () => {
  let sshd: PrivateSshd;
  beforeAll(async () => {
    sshd = await startPrivateSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it('a non-idempotent command in flight → HostUnreachable; the next command reconnects once', async () => {
    const conn = await connectSsh(sshdParams(sshd), { env: CLEAN_ENV });
    try {
      // $PPID of the persistent shell is its sshd session process: killing it drops the connection.
      await expect(conn.exec(sh`kill -9 $PPID; sleep 5`)).rejects.toBeInstanceOf(HostUnreachable);
      const r = await conn.exec(['echo', 'back']);
      expect(r.stdout).toBe('back\n');
      expect(conn.stats.reconnects).toBe(1);
      // Second drop: no more reconnects.
      await expect(conn.exec(sh`kill -9 $PPID; sleep 5`)).rejects.toBeInstanceOf(HostUnreachable);
      await expect(conn.exec(['true'])).rejects.toThrow(/not reconnecting twice/);
    } finally {
      await conn.close();
    }
  });

  it('an idempotent command is retried after the reconnect', async () => {
    const conn = await connectSsh(sshdParams(sshd), { env: CLEAN_ENV });
    try {
      const marker = `/tmp/k3play-drop-${randomBytes(4).toString('hex')}`;
      const r = await conn.exec(sh`if [ -e ${marker} ]; then echo second; rm -f ${marker}; else touch ${marker}; kill -9 $PPID; sleep 5; fi`, { idempotent: true });
      expect(r.stdout).toBe('second\n');
    } finally {
      await conn.close();
    }
  });
});
