/**
 * Deep masking of RunEvents: every string anywhere in an event (msg, stdout, stderr,
 * changes[].summary, diff before/after, item labels, ...) has each registered secret value
 * (src/module-api/secret.ts) and each extra value replaced by the mask. Object keys are left
 * alone (they are field names, and recap keys are host names). The input is never mutated:
 * the engine may keep its event; reporters get a masked copy.
 */
import { MASK, isSecret, maskSecrets } from '../module-api/secret.js';
import type { RunEvent } from './run-event.js';

/** Mask one string: registered secrets first, then the extra values (longest first). */
export function maskText(text: string, extra: readonly string[] = []): string {
  let out = maskSecrets(text);
  for (const value of extra) {
    if (value.length > 0 && out.includes(value)) out = out.split(value).join(MASK);
  }
  return out;
}

function maskValue(value: unknown, extra: readonly string[]): unknown {
  if (typeof value === 'string') return maskText(value, extra);
  if (isSecret(value)) return MASK;
  if (Array.isArray(value)) return value.map((v) => maskValue(v, extra));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskValue(v, extra);
    return out;
  }
  return value;
}

/** A masked deep copy of `event`; `extra` are values to mask besides the registered secrets. */
export function maskEvent<E extends object = RunEvent>(event: E, extra: readonly string[] = []): E {
  const sorted = [...extra].sort((a, b) => b.length - a.length);
  return maskValue(event, sorted) as E;
}
