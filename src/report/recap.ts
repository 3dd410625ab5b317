/**
 * The PLAY RECAP table, as ansible-playbook prints it: one row per host (names padded to the
 * longest), counters padded so columns line up, non-zero counters colored (green ok, yellow
 * changed, red failed/unreachable, cyan skipped), then one total line with the wall time.
 * Pure formatting: no I/O, color only when asked.
 */
import { palette, type Paint } from './ansi-style.js';
import type { HostRecap } from './run-event.js';

export const BANNER_WIDTH = 79;

/** `TITLE ****...` padded with stars to the banner width (at least three stars). */
export function banner(title: string, width = BANNER_WIDTH): string {
  return `${title} ${'*'.repeat(Math.max(3, width - title.length - 1))}`;
}

/** 850 -> "0.9s", 62_300 -> "1m02s", 3_723_000 -> "1h02m03s". */
export function formatDuration(ms: number): string {
  if (ms < 59_950) return `${(Math.round(ms / 100) / 10).toFixed(1)}s`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m${s}s` : `${m}m${s}s`;
}

type Counter = keyof HostRecap;
const COUNTERS: readonly Counter[] = [
  'ok',
  'changed',
  'unreachable',
  'failed',
  'skipped',
  'rescued',
  'ignored',
];

function counterPaint(name: Counter, color: boolean): Paint {
  const p = palette(color);
  switch (name) {
    case 'ok':
    case 'rescued':
      return p.green;
    case 'changed':
      return p.yellow;
    case 'unreachable':
    case 'failed':
      return p.red;
    case 'skipped':
      return p.cyan;
    case 'ignored':
      return p.magenta;
  }
}

function hostPaint(r: HostRecap, color: boolean): Paint {
  const p = palette(color);
  if (r.failed > 0 || r.unreachable > 0) return p.red;
  if (r.changed > 0) return p.yellow;
  return p.green;
}

/** `ok=3    ` : name=value, value padded to 4 (as ansible), colored when non-zero. */
function counterCell(name: Counter, value: number, color: boolean, pad: boolean): string {
  const text = `${name}=${pad ? String(value).padEnd(4) : value}`;
  return value > 0 ? counterPaint(name, color)(text) : text;
}

function row(label: string, width: number, r: HostRecap, color: boolean, paint: Paint): string {
  const cells = COUNTERS.map((c, i) => counterCell(c, r[c], color, i < COUNTERS.length - 1));
  return `${paint(label.padEnd(width))} : ${cells.join(' ')}`;
}

/**
 * The recap block: banner, one row per host (sorted by name for a stable order), and a total
 * line: `3 hosts in 12.3s: ok=... ` (the same counters summed).
 */
export function formatRecap(
  recap: Readonly<Record<string, HostRecap>>,
  durationMs: number,
  color: boolean,
): string {
  const hosts = Object.keys(recap).sort();
  const width = Math.max(0, ...hosts.map((h) => h.length));
  const lines = [banner('PLAY RECAP')];
  const total: HostRecap = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
  for (const host of hosts) {
    const r = recap[host];
    if (!r) continue;
    for (const c of COUNTERS) total[c] += r[c];
    lines.push(row(host, width, r, color, hostPaint(r, color)));
  }
  const p = palette(color);
  const count = `${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'}`;
  const sums = COUNTERS.map((c) => counterCell(c, total[c], color, false));
  lines.push('', `${p.bold(count)} in ${formatDuration(durationMs)}: ${sums.join(' ')}`);
  return `${lines.join('\n')}\n`;
}
