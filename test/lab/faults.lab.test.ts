/**
 * Fault acceptance tests on the shared lab: (a) a host that dies mid-run (its link goes down
 * while a command runs) ends unreachable while the others finish, and a rerun after it comes
 * back converges; (b) k3play SIGKILLed during a 50 MB put leaves the target whole (old or new
 * content, never partial). Links and files are restored in afterAll, also on failure.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../e2e/cli.js';
import { inHostNetns, labHost, recapSummary, runWithInventory, writeInventoryCopy } from './lab-run.js';
import { labSsh, sharedLabSkipReason, sharedLabState } from './shared-lab.js';

const skip = sharedLabSkipReason();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const PLAYBOOK = `
- name: dies mid-run
  hosts: lab_full
  gather_facts: false
  tasks:
    - name: directory
      file: { path: /var/lib/k3play-fault, state: directory, mode: "0755" }
    - name: a slow command
      command: sleep 2
      changed_when: false
    - name: marker
      file: { path: /var/lib/k3play-fault/marker, state: touch }
    - name: once
      command:
        cmd: date > /var/lib/k3play-fault/once
        creates: /var/lib/k3play-fault/once
`;

describe.skipIf(skip !== null)('faults (shared lab)', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'k3play-acc-faults-'));
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch((e: unknown) => console.error(`cleanup failed: ${String(e)}`));
    rmSync(tmp, { recursive: true, force: true });
  });

  it('5a. a host that dies mid-run is unreachable, the others finish; after it is back a rerun converges', async () => {
    const state = sharedLabState();
    const linkUp = () => inHostNetns(state, 'h5', ['ip', 'link', 'set', 'eth0', 'up']);
    cleanups.push(async () => {
      await linkUp();
      await Promise.all(['h1', 'h2', 'h3', 'h4', 'h5'].map((h) => labSsh(state, h, 'rm -rf /var/lib/k3play-fault')));
    });
    // ServerAliveInterval=1: a vanished host is noticed after 3 unanswered keepalives (~3 s).
    const inv = await writeInventoryCopy(state, tmp, {
      commonArgs: `-o UserKnownHostsFile=${state.knownHostsFile} -o ServerAliveInterval=1 -o ConnectTimeout=3`,
    });
    const t0 = Date.now();
    const running = runWithInventory(inv, PLAYBOOK);
    // "Host died": wait until h5 runs the slow command, then take its link down.
    let seen = false;
    for (let i = 0; i < 50 && !seen; i++) {
      seen = (await labSsh(state, 'h5', 'pgrep -x sleep >/dev/null && echo yes', 5_000)).stdout.trim() === 'yes';
      if (!seen) await sleep(100);
    }
    expect(seen).toBe(true);
    const down = await inHostNetns(state, 'h5', ['ip', 'link', 'set', 'eth0', 'down']);
    const killedAt = Date.now() - t0;
    expect(down.code, down.stderr).toBe(0);
    const r = await running;
    console.log(`run with h5 dying: ${r.wallMs} ms (h5's link went down ${killedAt} ms after start)`);
    await linkUp();

    expect([3, 2]).toContain(r.code);
    expect(r.recap['h5']?.unreachable).toBe(1);
    expect(r.results.find((x) => x.host === 'h5' && x.task === 'a slow command')?.status).toBe('unreachable');
    for (const h of ['h1', 'h2', 'h3', 'h4']) {
      expect([h, r.results.filter((x) => x.host === h).map((x) => x.status)]).toEqual([h, ['changed', 'ok', 'changed', 'changed']]);
    }

    // Back up: h5 answers again; the rerun changes nothing on h1-h4 and only what h5 missed.
    let back = false;
    for (let i = 0; i < 30 && !back; i++) {
      back = (await labSsh(state, 'h5', 'true', 5_000)).code === 0;
      if (!back) await sleep(200);
    }
    expect(back).toBe(true);
    const again = await runWithInventory(inv, PLAYBOOK);
    expect(again.code, again.stderr).toBe(0);
    expect(recapSummary(again)).toEqual({
      h1: 'ok=4 changed=0 failed=0 unreachable=0',
      h2: 'ok=4 changed=0 failed=0 unreachable=0',
      h3: 'ok=4 changed=0 failed=0 unreachable=0',
      h4: 'ok=4 changed=0 failed=0 unreachable=0',
      h5: 'ok=4 changed=2 failed=0 unreachable=0',
    });
    const third = await runWithInventory(inv, PLAYBOOK);
    expect([third.code, third.changed, third.failed]).toEqual([0, 0, 0]);
  }, 90_000);

  it('5b. SIGKILL during a 50 MB put leaves the old or the new file, never a partial one', async () => {
    const state = sharedLabState();
    const host = labHost(state, 'l1');
    const target = '/root/k3play-big.bin';
    cleanups.push(() => labSsh(state, 'l1', `rm -f ${target} /root/.k3play-big.bin.k3play-*`));
    const oldContent = 'old content\n';
    const oldHash = createHash('sha256').update(oldContent).digest('hex');
    const seed = mkdtempSync(path.join(tmp, 'put-'));
    const bigFile = path.join(seed, 'big.bin');
    const big = randomBytes(50 * 1024 * 1024);
    writeFileSync(bigFile, big);
    const newHash = createHash('sha256').update(big).digest('hex');
    const prep = await labSsh(state, 'l1', `rm -f /root/.k3play-big.bin.k3play-*; printf 'old content\\n' > ${target}; sha256sum ${target}`);
    expect(prep.stdout.split(' ')[0]).toBe(oldHash);

    // The writer: the real SshConnection (built dist/) in a child process we can SIGKILL.
    const child = path.join(seed, 'put.mjs');
    writeFileSync(
      child,
      `import { readFileSync } from 'node:fs';
import { connectSsh } from ${JSON.stringify(path.join(repoRoot, 'dist/src/connection/ssh-connection.js'))};
const conn = await connectSsh({ host: 'l1', address: ${JSON.stringify(host.ip)}, port: 22, user: 'root',
  privateKeyFile: ${JSON.stringify(state.keyFile)}, knownHostsFiles: [${JSON.stringify(state.knownHostsFile)}], agentSocket: false });
process.stdout.write('connected\\n');
await conn.put(${JSON.stringify(target)}, readFileSync(${JSON.stringify(bigFile)}));
process.stdout.write('done\\n');
await conn.close();
`,
    );
    for (const round of ['kill', 'complete'] as const) {
      const proc = spawn(process.execPath, [child], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
      proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
      if (round === 'kill') {
        // Kill once the temp file holds part of the content. The host's root filesystem is an
        // overlay mounted on the controller, so the temp file is watched there every 2 ms (an
        // ssh round trip per poll was slower than the whole transfer on a quiet machine).
        let partial = 0;
        const deadline = Date.now() + 20_000;
        const rootDir = path.join(host.merged, 'root');
        while (partial === 0 && Date.now() < deadline && proc.exitCode === null) {
          const temp = readdirSync(rootDir).find((f) => f.startsWith('.k3play-big.bin.k3play-'));
          const n = temp ? statSafe(path.join(rootDir, temp)) : 0;
          if (n > 0 && n < big.length) {
            partial = n;
            proc.kill('SIGKILL');
          } else await sleep(2);
        }
        expect(partial, out).toBeGreaterThan(0);
        await exited;
        console.log(`SIGKILLed the put with ${partial} of ${big.length} bytes in the temp file`);
        await sleep(1_000); // let sshd notice the closed connection and the remote script end
        const after = await labSsh(state, 'l1', `sha256sum ${target} | cut -d' ' -f1; ls -a /root | grep -c '^\\.k3play-big\\.bin\\.k3play-' || true`);
        const [hash, temps] = after.stdout.trim().split('\n');
        expect([oldHash, newHash]).toContain(hash);
        expect(hash).toBe(oldHash);
        // The remote script sees a short stdin and removes its temp file (trap on EXIT).
        expect(temps).toBe('0');
      } else {
        expect(await exited, out).toBe(0);
        const after = await labSsh(state, 'l1', `sha256sum ${target} | cut -d' ' -f1; ls -a /root | grep -c '^\\.k3play-big\\.bin\\.k3play-' || true`);
        expect(after.stdout.trim().split('\n')).toEqual([newHash, '0']);
      }
    }
  }, 90_000);
});

function statSafe(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
