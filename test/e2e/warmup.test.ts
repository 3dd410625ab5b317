/**
 * The build's code-cache warm-up (scripts/bundle.mjs): its playbook runs clean over SSH (the
 * build's loopback ssh2 server, scripts/warmup/warmup-sshd.mjs) and over the local connection,
 * and its second play finds everything converged. A warm-up that broke would not fail the build
 * (the cache is an optimisation), it would only make every run start slower: this test is what
 * notices. The server accepts only the key it generated.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { k3play, repoRoot } from './cli.js';

interface WarmupSshd {
  port: number;
  clientKeyFile: string;
  knownHostsFile: string;
  close(): Promise<void>;
}

let dir: string;
let sshd: WarmupSshd;
let inventory: string;

beforeAll(async () => {
  const mod = (await import(path.join(repoRoot, 'scripts', 'warmup', 'warmup-sshd.mjs'))) as {
    startWarmupSshd(d: string): Promise<WarmupSshd>;
    writeWarmupInventory(d: string, s: WarmupSshd): string;
  };
  dir = await mkdtemp(path.join(tmpdir(), 'k3play-warmup-test-'));
  sshd = await mod.startWarmupSshd(dir);
  inventory = mod.writeWarmupInventory(dir, sshd);
});

afterAll(async () => {
  await sshd?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('build warm-up', () => {
  it('runs its playbook on both connections; the second play changes nothing', async () => {
    const r = await k3play(['run', path.join(repoRoot, 'scripts', 'warmup', 'warmup.yml'), '-i', inventory, '--json'], { cwd: dir, env: { K3PLAY_NO_JOURNAL: '1' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; play?: string; host?: string; status?: string; task?: string });
    let play = '';
    const byPlay = new Map<string, { host: string; status: string }[]>();
    for (const e of events) {
      if (e.type === 'play_start') play = e.play ?? '';
      if (e.type === 'host_result') byPlay.set(play, [...(byPlay.get(play) ?? []), { host: e.host!, status: e.status! }]);
    }
    const first = byPlay.get('warm-up, first run') ?? [];
    const converged = byPlay.get('warm-up, converged run') ?? [];
    for (const h of ['warm-ssh', 'localhost']) {
      expect(first.filter((x) => x.host === h && x.status === 'changed').length).toBeGreaterThan(5);
      expect(converged.filter((x) => x.host === h).length).toBeGreaterThan(10);
    }
    expect(converged.filter((x) => x.status === 'changed' || x.status === 'failed' || x.status === 'unreachable')).toEqual([]);
  });

  it('refuses a key it did not generate', async () => {
    const other = ssh2.utils.generateKeyPairSync('ed25519');
    const err = await new Promise<Error | undefined>((resolve) => {
      const c = new ssh2.Client();
      c.on('ready', () => {
        c.end();
        resolve(undefined);
      });
      c.on('error', (e) => resolve(e));
      c.connect({ host: '127.0.0.1', port: sshd.port, username: 'anyone', privateKey: other.private, hostVerifier: () => true, readyTimeout: 10_000 });
    });
    expect(err?.message).toMatch(/authentication methods failed/);
  });
});
