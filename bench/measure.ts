/**
 * Measures one run of a controller-side program the way the bench reports it: wall time,
 * controller CPU (user + sys of the program and EVERY process it starts, including daemonised
 * ones such as OpenSSH ControlPersist masters) and peak RSS summed over all those processes.
 *
 * How: the program is started inside a fresh cgroup (v1 cpuacct + memory hierarchies, or the
 * v2 unified one), so accounting covers the whole tree whatever it forks or detaches. CPU is
 * the cgroup's counter at the end; RSS is sampled every few milliseconds as the sum of the
 * resident set of every process in the cgroup (a sum of RSS, not the cgroup's memory charge,
 * which would count page cache too). When the program has exited, whatever it left running in
 * the cgroup (ssh masters) is killed, by pid, and the cgroup removed. Nothing else is touched.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Measurement {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface MeasureOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /** RSS sampling period (default 5 ms). */
  readonly sampleMs?: number;
  /** Scheduling niceness of the program and everything it starts (root may go below 0). */
  readonly nice?: number;
}

interface Cgroup {
  /** Directories whose cgroup.procs the child joins. */
  readonly joinDirs: readonly string[];
  readonly procsFile: string;
  cpuNs(): number;
  remove(): void;
}

const V1 = '/sys/fs/cgroup';
const V2 = '/sys/fs/cgroup';
let seq = 0;

function makeCgroup(): Cgroup {
  const name = `k3play-bench-${process.pid}-${++seq}`;
  if (existsSync(join(V1, 'cpuacct', 'cgroup.procs')) && existsSync(join(V1, 'memory', 'cgroup.procs'))) {
    const cpu = join(V1, 'cpuacct', name);
    const mem = join(V1, 'memory', name);
    mkdirSync(cpu);
    mkdirSync(mem);
    return {
      joinDirs: [cpu, mem],
      procsFile: join(cpu, 'cgroup.procs'),
      cpuNs: () => Number(readFileSync(join(cpu, 'cpuacct.usage'), 'utf8')),
      remove: () => {
        rmdirSync(cpu);
        rmdirSync(mem);
      },
    };
  }
  if (existsSync(join(V2, 'cgroup.controllers'))) {
    const dir = join(V2, name);
    mkdirSync(dir);
    return {
      joinDirs: [dir],
      procsFile: join(dir, 'cgroup.procs'),
      cpuNs: () => {
        const m = /usage_usec (\d+)/.exec(readFileSync(join(dir, 'cpu.stat'), 'utf8'));
        return m ? Number(m[1]) * 1000 : 0;
      },
      remove: () => rmdirSync(dir),
    };
  }
  throw new Error('bench: no cgroup hierarchy found under /sys/fs/cgroup (cpuacct+memory v1 or unified v2); the bench needs root on Linux');
}

function pidsOf(cg: Cgroup): number[] {
  try {
    return readFileSync(cg.procsFile, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const PAGE_KB = 4;

function rssKbOf(pid: number): number {
  try {
    // statm field 2 = resident pages
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_KB;
  } catch {
    return 0;
  }
}

/**
 * The environment every measured program gets: the same minimal one (PATH, HOME, locale,
 * SSH_AUTH_SOCK when set), not the bench's. Whatever else the machine exports must not tilt the
 * numbers: this one exports NODE_EXTRA_CA_CERTS=<the whole system CA bundle> for its npm proxy,
 * which makes every Node process parse ~140 certificates before its first line (~35 ms a start,
 * for k3play and for the floor program alike); no Python counterpart slows Ansible.
 */
export function benchEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SSH_AUTH_SOCK', 'TMPDIR'];
  const env: Record<string, string> = { LANG: 'C.UTF-8' };
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k]!;
  return env;
}

/** Runs argv in a fresh cgroup; never rejects for a non-zero exit. */
export async function measure(argv: readonly string[], opts: MeasureOptions = {}): Promise<Measurement> {
  const cg = makeCgroup();
  // The child writes its own pid into the cgroup(s) before exec, so every descendant is born inside.
  const joins = cg.joinDirs.map((d) => `echo $$ > '${d}/cgroup.procs'`).join('; ');
  const started = performance.now();
  const nice = opts.nice !== undefined && opts.nice !== 0 ? `nice -n ${Math.trunc(opts.nice)} ` : '';
  const child = spawn('/bin/sh', ['-c', `${joins}; exec ${nice}"$@"`, 'sh', ...argv], {
    cwd: opts.cwd,
    env: { ...benchEnv(), ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  let peakKb = 0;
  const sample = (): void => {
    let sum = 0;
    for (const pid of pidsOf(cg)) sum += rssKbOf(pid);
    if (sum > peakKb) peakKb = sum;
  };
  const sampler = setInterval(sample, opts.sampleMs ?? 5);
  const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + 9 : 1)));
  });
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  if (timer) clearTimeout(timer);
  sample();
  // Leftovers (ssh ControlPersist masters): their CPU so far is counted; end them and wait.
  for (let round = 0; round < 50 && pidsOf(cg).length > 0; round++) {
    for (const pid of pidsOf(cg)) {
      try {
        process.kill(pid, round < 10 ? 'SIGTERM' : 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const cpuMs = cg.cpuNs() / 1e6;
  cg.remove();
  return {
    wallMs,
    cpuMs,
    peakRssMb: peakKb / 1024,
    exitCode,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}

/** For tests of the bench itself: writes nothing but proves the cgroup can be made. */
export function cgroupAvailable(): boolean {
  try {
    makeCgroup().remove();
    return true;
  } catch {
    return false;
  }
}
