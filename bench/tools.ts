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
import { ansibleStepMs, k3playStepMs } from './step-time.js';
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

/** A measured run, plus the workload's step time (stepTask) as the tool itself timed it. */
export interface ToolMeasurement extends Measurement {
  readonly stepMs?: number;
}

export async function runTool(tool: Tool, r: ToolRun): Promise<ToolMeasurement> {
  const tmp = mkdtempSync(join(tmpdir(), `k3play-bench-${tool}-`));
  const step = r.workload.stepTask;
  try {
    if (tool === 'k3play') {
      // The run journal (written in the working directory) carries each task's own duration.
      const m = await measure(k3playArgv(r), { cwd: tmp, env: { CI: '1', NO_COLOR: '1' }, timeoutMs: 600_000, nice: r.nice });
      return step && m.exitCode === 0 ? { ...m, stepMs: k3playStepMs(tmp, step) } : m;
    }
    const cfg = join(tmp, 'ansible.cfg');
    writeFileSync(cfg, ansibleConfig(r.forks, join(tmp, 'cp')));
    const m = await measure(ansibleArgv(r), {
      cwd: tmp,
      env: {
        ANSIBLE_CONFIG: cfg, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCAL_TEMP: join(tmp, 'local'), ANSIBLE_HOME: join(tmp, 'home'),
        ...(step ? { ANSIBLE_CALLBACKS_ENABLED: 'ansible.posix.profile_tasks' } : {}),
      },
      timeoutMs: 900_000,
      nice: r.nice,
    });
    return step && m.exitCode === 0 ? { ...m, stepMs: ansibleStepMs(m.stdout, step) } : m;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
