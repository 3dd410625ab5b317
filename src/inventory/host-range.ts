/**
 * Ansible host ranges in host names: `node[01:20]` (zero-padded when the start is),
 * `node[a:c]`, `node[1:10:2]` (stride), several ranges in one name. Pure string expansion;
 * the caller turns an error string into a Problem with a location.
 */

export type RangeResult = { readonly names: readonly string[] } | { readonly error: string };

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Guards against `h[1:99999999]` eating memory. */
const MAX_HOSTS = 10_000;

export function hasHostRange(name: string): boolean {
  return name.includes('[') || name.includes(']');
}

export function expandHostRange(name: string): RangeResult {
  const open = name.indexOf('[');
  const close = name.indexOf(']', open + 1);
  if (open < 0 && !name.includes(']')) return { names: [name] };
  if (open < 0 || close < 0) return { error: `bad host range in "${name}": unbalanced brackets` };
  const head = name.slice(0, open);
  const body = name.slice(open + 1, close);
  const tail = name.slice(close + 1);
  const m = /^([a-zA-Z0-9]*):([a-zA-Z0-9]+)(?::(\d+))?$/.exec(body);
  if (!m) return { error: `bad host range "[${body}]" in "${name}": expected [start:end] or [start:end:step]` };
  const beg = m[1] === '' ? '0' : m[1]!;
  const end = m[2]!;
  const step = m[3] === undefined ? 1 : Number(m[3]);
  if (step < 1) return { error: `bad host range "[${body}]" in "${name}": step must be at least 1` };
  let seq: string[];
  const isNum = /^\d+$/.test(beg) && /^\d+$/.test(end);
  const isAlpha = /^[a-zA-Z]$/.test(beg) && /^[a-zA-Z]$/.test(end);
  if (isNum) {
    const pad = beg.length > 1 && beg.startsWith('0') ? beg.length : 0;
    if (pad > 0 && end.length !== pad) {
      return { error: `bad host range "[${body}]" in "${name}": zero-padded start and end must have the same length` };
    }
    const b = Number(beg);
    const e = Number(end);
    if (b > e) return { error: `bad host range "[${body}]" in "${name}": start is greater than end` };
    if ((e - b) / step + 1 > MAX_HOSTS) return { error: `bad host range "[${body}]" in "${name}": more than ${MAX_HOSTS} hosts` };
    seq = [];
    for (let n = b; n <= e; n += step) seq.push(pad > 0 ? String(n).padStart(pad, '0') : String(n));
  } else if (isAlpha) {
    const b = LETTERS.indexOf(beg);
    const e = LETTERS.indexOf(end);
    if (b > e) return { error: `bad host range "[${body}]" in "${name}": start is greater than end` };
    seq = [];
    for (let n = b; n <= e; n += step) seq.push(LETTERS[n]!);
  } else {
    return { error: `bad host range "[${body}]" in "${name}": start and end must both be numbers or both single letters` };
  }
  const rest = expandHostRange(tail);
  if ('error' in rest) return rest;
  const names: string[] = [];
  for (const s of seq) for (const r of rest.names) names.push(`${head}${s}${r}`);
  return { names };
}
