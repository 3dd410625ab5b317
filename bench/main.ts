/**
 * `npm run bench`: k3play and ansible-playbook side by side on the same lab, in one run.
 *
 * Brings up the labs (5 full hosts; 100 light hosts; fresh 5-host labs for the cold workload),
 * runs every workload with both tools several times — alternating which tool goes first —,
 * checks each run did what the workload says (recap: nothing failed, changed=0 on a converged
 * lab), measures the persistent-shell and ControlMaster floors, and prints a table of medians
 * (wall, controller CPU incl. children, peak RSS summed over the process tree, the ratio
 * ansible/k3play). Writes bench/results/<date>.json. Tears every lab down at the end, also on
 * failure. Before timing, each lab is waited on until it is idle after boot (bench/lab-idle.ts)
 * and workloads on an already booted lab get --warmup untimed runs per tool (default 1).
 * Options: --reps N, --only w1,w2, --no-ansible, --keep-labs, --forks N, --nice N, --warmup N.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { labDown, labUp, type LabState } from '../src/lab/lab.js';
import { ensureBaseImage } from '../src/lab/base-image.js';
import { reniceLab } from './renice-lab.js';
import { waitLabIdle } from './lab-idle.js';
import { runRolloutBench, type RolloutBenchResult } from './rollout-bench.js';
import { measureFloors, type FloorResult } from './floor.js';
import { parseRecap } from './recap-parse.js';
import { formatTable, median, type Row } from './report-table.js';
import { REPO, runTool, type Tool, type ToolMeasurement } from './tools.js';
import { WORKLOADS, type LabKind, type Workload } from './workloads.js';

interface Options {
  reps?: number;
  only?: Set<string>;
  ansible: boolean;
  keepLabs: boolean;
  forks: number;
  /** Niceness of both tools, the floors and the lab hosts' processes (default -10). */
  nice: number;
  /** Untimed runs per tool before the timed reps of a workload on an already booted lab. */
  warmup: number;
}

const STATE_DIR = join(REPO, '.k3play', 'bench-lab');
const log = (m: string): void => void process.stderr.write(`bench: ${m}\n`);

function parseArgs(argv: string[]): Options {
  const o: Options = { ansible: true, keepLabs: false, forks: 50, nice: -10, warmup: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--reps') o.reps = Number(argv[++i]);
    else if (a === '--only') o.only = new Set((argv[++i] ?? '').split(','));
    else if (a === '--no-ansible') o.ansible = false;
    else if (a === '--keep-labs') o.keepLabs = true;
    else if (a === '--forks') o.forks = Number(argv[++i]);
    else if (a === '--nice') o.nice = Number(argv[++i]);
    else if (a === '--warmup') o.warmup = Number(argv[++i]);
    else if (a === '--help' || a === '-h') {
      console.log('usage: npm run bench -- [--reps N] [--only noop,prep-converged,prep-cold,check-diff,fanout,facts,floor,rollout] [--no-ansible] [--keep-labs] [--forks N] [--nice N] [--warmup N]');
      process.exit(0);
    } else throw new Error(`unknown option ${a} (see --help)`);
  }
  if (o.reps !== undefined && !(Number.isInteger(o.reps) && o.reps >= 1 && o.reps <= 50)) throw new Error('--reps must be 1..50');
  if (!(Number.isInteger(o.nice) && o.nice >= -20 && o.nice <= 19)) throw new Error('--nice must be -20..19');
  if (!(Number.isInteger(o.warmup) && o.warmup >= 0 && o.warmup <= 5)) throw new Error('--warmup must be 0..5');
  return o;
}

class Labs {
  #up = new Map<LabKind, LabState>();
  constructor(private readonly nice: number) {}
  async get(kind: LabKind): Promise<LabState> {
    const have = this.#up.get(kind);
    if (have) return have;
    const spec = kind === 'fan' ? { name: 'bfan', full: 0, light: 100 } : kind === 'full' ? { name: 'bench', full: 5, light: 0 } : { name: 'bcold', full: 5, light: 0 };
    const t0 = Date.now();
    const s = await labUp({ ...spec, stateDir: STATE_DIR, log: () => undefined });
    const reniced = await reniceLab(s, this.nice);
    log(`lab ${spec.name} up (${spec.full} full + ${spec.light} light) in ${Date.now() - t0} ms; ${reniced} processes at nice ${this.nice}`);
    const idle = await waitLabIdle(s);
    const late = idle.notBooted.length ? `; not booted: ${idle.notBooted.join(', ')}` : '';
    log(`lab ${spec.name} ${idle.idle ? 'idle' : 'NOT idle (measuring anyway)'} after ${idle.waitedMs} ms${late}`);
    this.#up.set(kind, s);
    return s;
  }
  async drop(kind: LabKind): Promise<void> {
    const s = this.#up.get(kind);
    if (!s) return;
    this.#up.delete(kind);
    await labDown(s, { log: () => undefined });
  }
  async dropAll(): Promise<void> {
    for (const k of [...this.#up.keys()]) await this.drop(k).catch((e: unknown) => log(`lab down failed: ${(e as Error).message}`));
  }
}

function verify(tool: Tool, w: Workload, m: ToolMeasurement, expect: 'zero' | 'some' | 'any'): void {
  const recap = parseRecap(m.stdout);
  const tail = `${m.stdout.slice(-1500)}\n${m.stderr.slice(-1500)}`;
  if (m.exitCode !== 0 || recap === null) throw new Error(`${tool} ${w.name}: exit ${m.exitCode}, recap ${recap ? 'present' : 'missing'}\n${tail}`);
  if (recap.failed + recap.unreachable > 0) throw new Error(`${tool} ${w.name}: ${recap.failed} failed, ${recap.unreachable} unreachable\n${tail}`);
  if (expect === 'zero' && recap.changed !== 0) throw new Error(`${tool} ${w.name}: changed=${recap.changed} on a converged lab (the two tools' workloads must leave identical files)\n${tail}`);
  if (expect === 'some' && recap.changed === 0) throw new Error(`${tool} ${w.name}: nothing changed on fresh hosts\n${tail}`);
}

interface Sample {
  readonly tool: Tool;
  readonly m: ToolMeasurement;
}

async function runWorkload(w: Workload, o: Options, labs: Labs): Promise<Sample[]> {
  const tools: Tool[] = o.ansible ? ['k3play', 'ansible'] : ['k3play'];
  const reps = o.reps ?? w.reps;
  const samples: Sample[] = [];
  if (w.before === 'converged') {
    // Converge with each tool in turn: the second one must find nothing to do, which proves the
    // two playbooks leave the hosts byte-identical (so either tool's timed run starts converged).
    const lab = await labs.get(w.lab);
    for (const tool of [...tools, ...tools]) {
      const m = await runTool(tool, { workload: w, inventory: lab.inventoryFile, forks: o.forks, check: false, nice: o.nice });
      verify(tool, w, m, 'any');
    }
    for (const tool of tools) verify(tool, w, await runTool(tool, { workload: w, inventory: lab.inventoryFile, forks: o.forks, check: false, nice: o.nice }), 'zero');
  }
  if (w.before === 'none') {
    // Untimed warm-up runs (hyperfine's --warmup): the first run after a lab boots also pays for
    // the hosts' cold page cache and first sshd logins, which is the lab's cost, not the tool's.
    // (Converged workloads are warmed by their converging runs; fresh ones cannot be.)
    const lab = await labs.get(w.lab);
    for (let i = 0; i < o.warmup; i++) {
      for (const tool of tools) {
        const m = await runTool(tool, { workload: w, inventory: lab.inventoryFile, forks: o.forks, nice: o.nice });
        verify(tool, w, m, w.expectChanged);
        log(`${w.name} warm-up ${i + 1}/${o.warmup} ${tool}: ${Math.round(m.wallMs)} ms wall (not counted)`);
      }
    }
  }
  for (let rep = 0; rep < reps; rep++) {
    const order = rep % 2 === 0 ? tools : [...tools].reverse();
    for (const tool of order) {
      if (w.before === 'fresh') await labs.drop(w.lab);
      const lab = await labs.get(w.lab);
      const m = await runTool(tool, { workload: w, inventory: lab.inventoryFile, forks: o.forks, nice: o.nice });
      verify(tool, w, m, w.expectChanged);
      samples.push({ tool, m });
      log(`${w.name} rep ${rep + 1}/${reps} ${tool}: ${Math.round(m.wallMs)} ms wall, ${Math.round(m.cpuMs)} ms cpu, ${m.peakRssMb.toFixed(0)} MB${m.stepMs !== undefined ? `, step "${w.stepTask}" ${Math.round(m.stepMs)} ms` : ''}`);
    }
  }
  if (w.before === 'fresh') await labs.drop(w.lab);
  return samples;
}

function rowOf(w: Workload, samples: Sample[]): Row {
  const of = (t: Tool) => samples.filter((s) => s.tool === t).map((s) => s.m);
  const stats = (ms: ToolMeasurement[]) => {
    if (ms.length === 0) return null;
    const steps = ms.flatMap((m) => (m.stepMs === undefined ? [] : [m.stepMs]));
    return { wallMs: median(ms.map((m) => m.wallMs)), cpuMs: median(ms.map((m) => m.cpuMs)), peakRssMb: median(ms.map((m) => m.peakRssMb)), n: ms.length, ...(steps.length ? { stepMs: median(steps) } : {}) };
  };
  return { workload: w.name, summary: w.summary, k3play: stats(of('k3play')), ansible: stats(of('ansible')), ...(w.stepTask ? { step: w.stepTask } : {}) };
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const loadavgBefore = loadavg();
  await ensureBaseImage({ log });
  const labs = new Labs(o.nice);
  const rows: Row[] = [];
  let floors: FloorResult | null = null;
  let rollout: RolloutBenchResult | null = null;
  const cleanup = async (): Promise<void> => {
    if (!o.keepLabs) await labs.dropAll();
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  try {
    for (const w of WORKLOADS) {
      if (o.only && !o.only.has(w.name)) continue;
      log(`workload ${w.name}: ${w.summary}`);
      rows.push(rowOf(w, await runWorkload(w, o, labs)));
      if (w.lab === 'fan' && !WORKLOADS.some((x) => x.lab === 'fan' && WORKLOADS.indexOf(x) > WORKLOADS.indexOf(w) && (!o.only || o.only.has(x.name)))) await labs.drop('fan');
    }
    if (!o.only || o.only.has('floor')) {
      const lab = await labs.get('full');
      floors = await measureFloors(lab, lab.hosts.map((h) => h.name), 20, o.reps ?? 5, o.nice, log);
    }
    if (!o.only || o.only.has('rollout')) {
      // k3play only (Ansible has no site rollouts): 12 sites of 3 light hosts, 4 at a time.
      log('rollout: 12 sites x 3 light hosts, --site-concurrency 4');
      rollout = await runRolloutBench({ sites: 12, hostsPerSite: 3, siteConcurrency: 4, log, labName: 'broll' });
    }
  } finally {
    await cleanup();
  }
  let table = formatTable(rows, floors);
  if (rollout) table += `\n\nRollout (k3play only): ${rollout.sites} sites x ${rollout.hosts / rollout.sites} light hosts (${rollout.hosts} hosts), --site-concurrency 4: ${(rollout.wallMs / 1000).toFixed(2)} s wall, ${rollout.sitesPerMinute.toFixed(0)} sites/minute`;
  console.log(table);
  const date = new Date().toISOString().slice(0, 19).replace(/:/g, '-');
  const dir = join(REPO, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${date}.json`);
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, forks: o.forks, nice: o.nice, warmup: o.warmup, loadavgBefore, loadavgAfter: loadavg(), rows, floors, rollout, table }, null, 2)}\n`);
  log(`results written to ${file}`);
}

main().catch((e: unknown) => {
  console.error(`bench failed: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 1;
});
