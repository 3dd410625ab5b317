/**
 * The floors of workload "noop" (20 commands, lock-step, on the 5 full hosts), measured like the
 * tools (a process of its own, bench/floor-runner.ts): over OpenSSH ControlMaster connections
 * opened beforehand, and over one persistent remote shell per host on one ssh2 channel. The
 * ControlMaster processes are opened before and closed after the measurement, by this file.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabState } from '../src/lab/lab-state.js';
import { measure } from './measure.js';
import { median } from './report-table.js';
import { REPO } from './tools.js';

export interface FloorStats {
  /** Median wall time of the whole program (start, connect, commands). */
  readonly wallMs: number;
  /** Median time of the command phase alone. */
  readonly commandsMs: number;
  readonly perCommandMs: number;
  readonly n: number;
}

export interface FloorResult {
  readonly commands: number;
  readonly hosts: number;
  readonly controlmaster: FloorStats;
  readonly shell: FloorStats;
}

function ssh(state: LabState, ip: string, controlDir: string, extra: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn('ssh', ['-F', '/dev/null', '-i', state.keyFile, '-o', `UserKnownHostsFile=${state.knownHostsFile}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', `ControlPath=${controlDir}/%h`, ...extra, `root@${ip}`], { stdio: 'ignore' });
    p.on('error', reject);
    p.on('close', (c) => resolve(c ?? 255));
  });
}

export async function measureFloors(state: LabState, hosts: readonly string[], commands: number, reps: number, nice: number, log: (m: string) => void): Promise<FloorResult> {
  const runner = join(REPO, 'dist', 'bench', 'floor-runner.js');
  const ips = hosts.map((n) => state.hosts.find((h) => h.name === n)!.ip);
  const stats = (runs: { wallMs: number; commandsMs: number }[]): FloorStats => {
    const c = median(runs.map((r) => r.commandsMs));
    return { wallMs: median(runs.map((r) => r.wallMs)), commandsMs: c, perCommandMs: c / commands, n: runs.length };
  };
  const one = async (mode: string, controlDir?: string) => {
    const m = await measure([process.execPath, runner, mode, join(state.dir, 'lab.json'), hosts.join(','), String(commands), ...(controlDir ? [controlDir] : [])], { nice });
    if (m.exitCode !== 0) throw new Error(`floor ${mode} failed: ${m.stderr}`);
    const r = JSON.parse(m.stdout.trim()) as { connectMs: number; commandsMs: number };
    log(`floor ${mode}: ${Math.round(m.wallMs)} ms wall, ${r.commandsMs.toFixed(1)} ms for ${commands} x ${hosts.length} commands`);
    return { wallMs: m.wallMs, commandsMs: r.commandsMs };
  };
  const shellRuns = [];
  for (let i = 0; i < reps; i++) shellRuns.push(await one('shell'));
  const controlDir = mkdtempSync(join(tmpdir(), 'k3play-bench-cm-'));
  const cmRuns = [];
  try {
    const opened = await Promise.all(ips.map((ip) => ssh(state, ip, controlDir, ['-M', '-N', '-f', '-o', 'ControlPersist=300'])));
    if (opened.some((c) => c !== 0)) throw new Error(`opening ControlMaster connections failed: ${opened.join(',')}`);
    for (let i = 0; i < reps; i++) cmRuns.push(await one('controlmaster', controlDir));
  } finally {
    await Promise.all(ips.map((ip) => ssh(state, ip, controlDir, ['-O', 'exit']).catch(() => 255)));
    rmSync(controlDir, { recursive: true, force: true });
  }
  return { commands, hosts: hosts.length, controlmaster: stats(cmRuns), shell: stats(shellRuns) };
}
