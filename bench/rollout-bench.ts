/**
 * Rollout throughput on this machine: brings up its own lab of light hosts (default name
 * `broll`, or K3PLAY_TEST_LAB_PREFIX + "broll"), writes `sites` site inventories of
 * `hostsPerSite` hosts each, runs one representative rollout through the built CLI
 * (bin/k3play.js -> dist/, as users run it: a directory, a file, a template and a command per
 * host, no facts), and tears the lab down in `finally`. Returns wall time and sites/minute.
 *
 * Called by the project bench (`npm run bench`), or on its own through vitest, which runs the
 * TypeScript (dist/ must be built: `npm run build`):
 *   K3PLAY_ROLLOUT_BENCH=1 npx vitest run <a vitest project whose include has bench/rollout-bench.ts>
 * (see docs/scale.md for the numbers it printed on the reference machine).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labDown, labUp } from '../src/lab/lab.js';
import { parseJsonLines } from '../src/rollout/rollout-journal.js';
import type { RolloutEndEvent } from '../src/rollout/rollout-event.js';
import { k3play } from '../test/e2e/cli.js';

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
    const r = await k3play(['rollout', 'site.yml', '--sites', 'sites', '--site-concurrency', String(opts.siteConcurrency), '--json'], { cwd: work });
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

// Standalone through vitest (see the header): one test, only when asked for.
if (process.env['VITEST'] && process.env['K3PLAY_ROLLOUT_BENCH'] === '1') {
  const { it } = await import('vitest');
  const n = (k: string, d: number) => Number(process.env[k] ?? d);
  it('rollout bench', async () => {
    await runRolloutBench({ sites: n('BENCH_SITES', 12), hostsPerSite: n('BENCH_HOSTS_PER_SITE', 3), siteConcurrency: n('BENCH_SITE_CONCURRENCY', 4), log: (m) => console.log(m) });
  }, 900_000);
}
