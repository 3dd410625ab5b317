/**
 * `serial` -> host batches, as ansible-playbook computes them: each spec is a count or a
 * percentage of the play's hosts (rounded down, at least 1); the last spec repeats until every
 * host is in a batch. Pure; no state.
 */
import type { SerialSpec } from '../playbook/types.js';

export function serialBatches<T>(hosts: readonly T[], serial: readonly SerialSpec[]): T[][] {
  if (hosts.length === 0) return [];
  if (serial.length === 0) return [[...hosts]];
  const batches: T[][] = [];
  let i = 0;
  let specIndex = 0;
  while (i < hosts.length) {
    const spec = serial[Math.min(specIndex, serial.length - 1)]!;
    const size = batchSize(spec, hosts.length);
    batches.push(hosts.slice(i, i + size));
    i += size;
    specIndex++;
  }
  return batches;
}

function batchSize(spec: SerialSpec, total: number): number {
  if (typeof spec === 'number') return Math.max(1, Math.floor(spec));
  const pct = Number(spec.slice(0, -1));
  return Math.max(1, Math.floor((total * pct) / 100));
}
