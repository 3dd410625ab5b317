/**
 * Medians and the bench's table (Markdown, so it pastes into bench/README.md as is). Pure.
 */
import type { FloorResult } from './floor.js';

export interface ToolStats {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly n: number;
  /** Median of the workload's step time (Workload.stepTask), when it has one. */
  readonly stepMs?: number;
}

export interface Row {
  readonly workload: string;
  readonly summary: string;
  readonly k3play: ToolStats | null;
  readonly ansible: ToolStats | null;
  /** The timed step's task name (Workload.stepTask). */
  readonly step?: string;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const sec = (ms: number | undefined): string => (ms === undefined || Number.isNaN(ms) ? '-' : `${(ms / 1000).toFixed(2)} s`);
const mb = (x: number | undefined): string => (x === undefined ? '-' : `${x.toFixed(0)} MB`);
const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined || b === 0 ? '-' : `${(a / b).toFixed(1)}x`);

export function formatTable(rows: readonly Row[], floors: FloorResult | null): string {
  const lines = [
    '| workload | k3play wall | ansible wall | ansible/k3play | k3play CPU | ansible CPU | k3play peak RSS | ansible peak RSS | RSS ratio | runs |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const k = r.k3play ?? undefined;
    const a = r.ansible ?? undefined;
    lines.push(`| ${r.workload} | ${sec(k?.wallMs)} | ${sec(a?.wallMs)} | **${ratio(a?.wallMs, k?.wallMs)}** | ${sec(k?.cpuMs)} | ${sec(a?.cpuMs)} | ${mb(k?.peakRssMb)} | ${mb(a?.peakRssMb)} | ${ratio(a?.peakRssMb, k?.peakRssMb)} | ${k?.n ?? 0}+${a?.n ?? 0} |`);
  }
  const steps = rows.filter((r) => r.k3play?.stepMs !== undefined || r.ansible?.stepMs !== undefined);
  if (steps.length > 0) {
    lines.push('');
    lines.push('Steps timed by the tools themselves (k3play: task_end durationMs; Ansible: profile_tasks):');
    lines.push('');
    lines.push('| workload | step | k3play | ansible | ansible/k3play |');
    lines.push('|---|---|---|---|---|');
    for (const r of steps) lines.push(`| ${r.workload} | ${r.step ?? '-'} | ${sec(r.k3play?.stepMs)} | ${sec(r.ansible?.stepMs)} | **${ratio(r.ansible?.stepMs, r.k3play?.stepMs)}** |`);
  }
  if (floors) {
    const noopRow = rows.find((r) => r.workload === 'noop');
    const noop = noopRow?.k3play;
    lines.push('');
    lines.push(`Floors for noop (${floors.commands} commands x ${floors.hosts} hosts, lock-step; wall = whole program incl. start and connect):`);
    lines.push('');
    // The last column is the ceiling of any tool's noop ratio: the floor program itself.
    lines.push('| floor | wall | command phase | per command round | k3play noop / floor | ansible noop / floor |');
    lines.push('|---|---|---|---|---|---|');
    for (const [name, f] of [['OpenSSH ControlMaster (already open)', floors.controlmaster], ['persistent remote sh over ssh2', floors.shell]] as const) {
      lines.push(`| ${name} | ${sec(f.wallMs)} | ${sec(f.commandsMs)} | ${f.perCommandMs.toFixed(1)} ms | ${ratio(noop?.wallMs, f.wallMs)} | ${ratio(noopRow?.ansible?.wallMs, f.wallMs)} |`);
    }
  }
  return lines.join('\n');
}
