/**
 * Rollout throughput on this machine: brings up its own lab of light hosts (default name
 * `broll`, or K3PLAY_TEST_LAB_PREFIX + "broll"), writes `sites` site inventories of
 * `hostsPerSite` hosts each, runs one representative rollout through the built CLI
 * (bin/k3play.js -> dist/, as users run it: a directory, a file, a template and a command per
 * host, no facts), and tears the lab down in `finally`. Returns wall time and sites/minute.
 *
 * Called by the project bench (bench/main.ts: `await runRolloutBench({...})`), or on its own
 * from the compiled file (tsconfig compiles bench/ into dist/bench/; root needed for the lab):
 *   npm run build && node dist/bench/rollout-bench.js [--sites 12] [--hosts-per-site 3] [--site-concurrency 4]
 * It runs from the TypeScript under vitest too (it only spawns the built CLI). docs/scale.md has
 * the numbers it printed on the reference machine.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { labDown, labUp } from '../src/lab/lab.js';
import { parseJsonLines } from '../src/rollout/rollout-journal.js';
import type { RolloutEndEvent } from '../src/rollout/rollout-event.js';

/** The repository: the nearest directory above this file with k3play's package.json (bench/ or dist/bench/). */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'k3play') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('rollout bench: k3play repository not found above this file');
    dir = up;
  }
}

/** The built CLI (bin/k3play.js -> dist/), as users run it. */
function k3play(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot(), 'bin', 'k3play.js'), ...args], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/root', CI: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export interface RolloutBenchOptions {
  sites: number;
  hostsPerSite: number;
  siteConcurrency: number;
  log: (m: string) => void;
  /** Lab name (1-10 chars [a-z0-9]); default K3PLAY_TEST_LAB_PREFIX + "broll". */
  labName?: string;
}

export interface RolloutBenchResult {
  wallMs: number;
  sitesPerMinute: number;
  sites: number;
  hosts: number;
}

const PLAYBOOK = `
- name: bench site
  hosts: all
  gather_facts: false
  tasks:
    - name: directory
      file: { path: /etc/k3play-bench, state: directory, mode: "0755" }
    - name: fleet file
      copy: { dest: /etc/k3play-bench/fleet.conf, content: "fleet=edge\\n", mode: "0644" }
    - name: site file
      copy: { dest: /etc/k3play-bench/site.conf, content: "site={{ k3play_site }} host={{ inventory_hostname }}\\n" }
    - name: a command
      command: cat /etc/hostname
      changed_when: false
`;

export async function runRolloutBench(opts: RolloutBenchOptions): Promise<RolloutBenchResult> {
  const hosts = opts.sites * opts.hostsPerSite;
  const name = opts.labName ?? `${process.env['K3PLAY_TEST_LAB_PREFIX'] ?? ''}broll`;
  const stateDir = mkdtempSync(path.join(tmpdir(), 'k3play-bench-roll-'));
  const work = mkdtempSync(path.join(tmpdir(), 'k3play-bench-rollw-'));
  try {
    const t0 = Date.now();
    const state = await labUp({ name, light: hosts, full: 0, stateDir, log: () => undefined });
    opts.log(`rollout bench: lab ${name} (${hosts} light hosts) up in ${Date.now() - t0} ms`);
    const sites = path.join(work, 'sites');
    mkdirSync(sites);
    copyFileSync(state.knownHostsFile, path.join(sites, 'known_hosts'));
    for (let i = 0; i < opts.sites; i++) {
      const members = state.hosts.slice(i * opts.hostsPerSite, (i + 1) * opts.hostsPerSite);
      writeFileSync(
        path.join(sites, `site${String(i + 1).padStart(4, '0')}.ini`),
        `${members.map((h) => `${h.name} ansible_host=${h.ip}`).join('\n')}\n[all:vars]\nansible_user=root\nansible_ssh_private_key_file=${state.keyFile}\n`,
      );
    }
    writeFileSync(path.join(work, 'site.yml'), PLAYBOOK);
    const t1 = Date.now();
    const r = await k3play(['rollout', 'site.yml', '--sites', 'sites', '--site-concurrency', String(opts.siteConcurrency), '--json'], work);
    const wallMs = Date.now() - t1;
    const end = parseJsonLines(r.stdout).find((e): e is RolloutEndEvent => e.type === 'rollout_end');
    if (r.code !== 0 || !end || end.counts.ok !== opts.sites) {
      throw new Error(`rollout bench: the rollout did not succeed (exit ${r.code}): ${r.stderr.slice(0, 2000)}`);
    }
    const sitesPerMinute = Math.round((opts.sites / (wallMs / 60_000)) * 10) / 10;
    opts.log(`rollout bench: ${opts.sites} sites x ${opts.hostsPerSite} hosts (${hosts} hosts), ${opts.siteConcurrency} sites at a time: ${wallMs} ms, ${sitesPerMinute} sites/minute`);
    return { wallMs, sitesPerMinute, sites: opts.sites, hosts };
  } finally {
    await labDown({ name, stateDir }).catch((e: unknown) => opts.log(`rollout bench: labDown ${name} failed: ${String(e)}`));
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

// Standalone: `node dist/bench/rollout-bench.js [--sites N] [--hosts-per-site N] [--site-concurrency N]`.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (flag: string, d: number) => {
    const i = process.argv.indexOf(flag);
    return i > 0 ? Number(process.argv[i + 1]) : d;
  };
  const r = await runRolloutBench({
    sites: arg('--sites', 12),
    hostsPerSite: arg('--hosts-per-site', 3),
    siteConcurrency: arg('--site-concurrency', 4),
    log: (m) => void process.stderr.write(`${m}\n`),
  });
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
