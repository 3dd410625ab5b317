/**
 * The pure decision of the `swapoff` module: (args, SwapCurrent) -> Changes. No I/O.
 * Order: comment out fstab swap entries (PutStep + diff; other lines byte-identical), mask
 * active/enabled .swap units, then turn off the active swap areas by name (from /proc/swaps,
 * so swap files are covered too). Each part is planned only when needed, so a converged host
 * plans [].
 */
import type { Change } from '../../src/module-api/index.js';
import type { SwapoffArgs } from './args.js';
import type { SwapCurrent, SwapUnit } from './read-swap.js';

export const FSTAB_PREFIX = '# k3play swapoff: ';

export function planSwapoff(args: SwapoffArgs, cur: SwapCurrent): Change[] {
  const fstab = args.fstab ?? '/etc/fstab';
  const changes: Change[] = [];
  if (cur.fstab !== null) {
    const after = commentOutSwap(cur.fstab);
    if (after !== cur.fstab) {
      const n = swapEntries(cur.fstab).length;
      changes.push({
        summary: `comment out ${n} swap ${n === 1 ? 'entry' : 'entries'} in ${fstab}`,
        steps: [{ kind: 'put', path: fstab, content: after, mode: '0644' }],
        diff: { path: fstab, before: cur.fstab, after },
      });
    }
  }
  const toMask = (args.mask_units ?? true) && cur.systemd ? cur.units.filter(needsMask).map((u) => u.unit) : [];
  if (toMask.length > 0) changes.push({ summary: `mask ${toMask.join(', ')}`, steps: [{ kind: 'exec', cmd: ['systemctl', 'mask', '--', ...toMask] }] });
  if (cur.active.length > 0) changes.push({ summary: `swap off: ${cur.active.join(', ')}`, steps: [{ kind: 'exec', cmd: ['swapoff', '--', ...cur.active] }] });
  return changes;
}

function needsMask(u: SwapUnit): boolean {
  if (u.load === 'masked' || u.fileState === 'masked' || u.fileState === 'masked-runtime') return false;
  return u.active === 'active' || u.active === 'activating' || u.fileState === 'enabled' || u.fileState === 'enabled-runtime';
}

/** Line indexes of active (uncommented) swap entries: third field `swap`. */
export function swapEntries(text: string): number[] {
  const out: number[] = [];
  text.split('\n').forEach((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    if (t.split(/\s+/)[2] === 'swap') out.push(i);
  });
  return out;
}

export function commentOutSwap(text: string): string {
  const idx = new Set(swapEntries(text));
  if (idx.size === 0) return text;
  return text
    .split('\n')
    .map((l, i) => (idx.has(i) ? `${FSTAB_PREFIX}${l}` : l))
    .join('\n');
}
