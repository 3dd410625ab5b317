/**
 * How the bench starts each tool on a workload, the same way an operator would: the real
 * k3play CLI (bin/k3play.js, plain output into a pipe) and Debian's ansible-playbook at its
 * best (forks = k3play's --forks, pipelining on, ControlMaster + ControlPersist, no compression
 * on the LAN, host keys checked against the lab's known_hosts like k3play). Each run gets a
 * fresh ControlPath directory, so both tools start without open connections; within a run,
 * Ansible reuses its masters for every task. Writes only inside its temp directory.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, type Measurement } from './measure.js';
import type { Workload } from './workloads.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const BENCH_SRC = join(REPO, 'bench');

export type Tool = 'k3play' | 'ansible';

export interface ToolRun {
  readonly workload: Workload;
  readonly inventory: string;
  readonly forks: number;
  /** Overrides the workload's check flag (converging runs before a check workload). */
  readonly check?: boolean;
  /** Niceness of the tool's processes (see bench/README.md: both tools get the same). */
  readonly nice: number;
}

export function k3playArgv(r: ToolRun): string[] {
  return [
    process.execPath, join(REPO, 'bin', 'k3play.js'), 'run', join(BENCH_SRC, 'k3play', r.workload.playbook),
    '-i', r.inventory, '-e', `bench_hosts=${r.workload.hosts}`, '--forks', String(r.forks),
    ...((r.check ?? r.workload.check) ? ['--check', '--diff'] : []),
  ];
}

export function ansibleArgv(r: ToolRun): string[] {
  return [
    'ansible-playbook', join(BENCH_SRC, 'ansible', r.workload.playbook),
    '-i', r.inventory, '-e', `bench_hosts=${r.workload.hosts}`, '--forks', String(r.forks),
    ...((r.check ?? r.workload.check) ? ['--check', '--diff'] : []),
  ];
}

export function ansibleConfig(forks: number, controlDir: string): string {
  return [
    '[defaults]',
    `forks = ${forks}`,
    'host_key_checking = True',
    'gathering = explicit',
    'interpreter_python = /usr/bin/python3',
    'retry_files_enabled = False',
    'deprecation_warnings = False',
    '',
    '[ssh_connection]',
    'pipelining = True',
    'ssh_args = -o ControlMaster=auto -o ControlPersist=60s',
    `control_path_dir = ${controlDir}`,
    '',
  ].join('\n');
}

export async function runTool(tool: Tool, r: ToolRun): Promise<Measurement> {
  const tmp = mkdtempSync(join(tmpdir(), `k3play-bench-${tool}-`));
  try {
    if (tool === 'k3play') {
      return await measure(k3playArgv(r), { cwd: tmp, env: { CI: '1', NO_COLOR: '1' }, timeoutMs: 600_000, nice: r.nice });
    }
    const cfg = join(tmp, 'ansible.cfg');
    writeFileSync(cfg, ansibleConfig(r.forks, join(tmp, 'cp')));
    return await measure(ansibleArgv(r), {
      cwd: tmp,
      env: { ANSIBLE_CONFIG: cfg, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCAL_TEMP: join(tmp, 'local'), ANSIBLE_HOME: join(tmp, 'home') },
      timeoutMs: 900_000,
      nice: r.nice,
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
