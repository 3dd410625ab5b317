/**
 * The fixed set of tests (`x is defined`) and filters (`x | length`) of the `when` language.
 * These are the only "functions" an expression can reach; nothing found in data is ever called.
 * Each entry declares its arity (checked at parse time) and whether it accepts an Undefined
 * operand (only defined/undefined and default do).
 */
import { isSecret } from '../module-api/secret.js';
import { textOf, truthy } from './helpers.js';
import { ownProperty, typeName } from './safe-access.js';
import { EvalFailure, Undef } from './expression-values.js';

export interface FunctionSpec {
  readonly minArgs: number;
  readonly maxArgs: number;
  /** May receive an Undef operand (everything else gets defined values only). */
  readonly acceptsUndefined?: true;
  readonly fn: (value: unknown, args: readonly unknown[], pos: number) => unknown;
}

function str(name: string, v: unknown, pos: number): string {
  if (isSecret(v)) return v.reveal();
  if (typeof v !== 'string') throw new EvalFailure(`${name}: expected a string, got ${typeName(v)}`, pos, typeof v === 'number' ? 'convert it with `| string`' : undefined);
  return v;
}

function regex(name: string, pattern: unknown, pos: number, anchored: boolean): RegExp {
  const p = str(name, pattern, pos);
  try {
    return new RegExp(anchored ? `^(?:${p})` : p);
  } catch (e) {
    throw new EvalFailure(`${name}: invalid regular expression: ${(e as Error).message}`, pos);
  }
}

function resultFlag(name: string, v: unknown, key: string, pos: number): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new EvalFailure(`"is ${name}" expects a registered task result, got ${typeName(v)}`, pos, 'register the task (register: result) and test `result is changed`');
  }
  return truthy(ownProperty(v, key));
}

/** Dotted versions: numeric parts compared as numbers, a leading "v" and "+build" suffix ignored. */
function versionCompare(a: string, b: string): number {
  const norm = (s: string) => s.trim().replace(/^v/i, '').replace(/\+.*$/, '').split(/[.-]/);
  const x = norm(a);
  const y = norm(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i] ?? '0';
    const q = y[i] ?? '0';
    const np = /^\d+$/.test(p) ? Number(p) : NaN;
    const nq = /^\d+$/.test(q) ? Number(q) : NaN;
    const c = !Number.isNaN(np) && !Number.isNaN(nq) ? np - nq : p.localeCompare(q);
    if (c !== 0) return c < 0 ? -1 : 1;
  }
  return 0;
}

const VERSION_OPS: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0, lt: (c) => c < 0,
  '<=': (c) => c <= 0, le: (c) => c <= 0,
  '>': (c) => c > 0, gt: (c) => c > 0,
  '>=': (c) => c >= 0, ge: (c) => c >= 0,
  '==': (c) => c === 0, '=': (c) => c === 0, eq: (c) => c === 0,
  '!=': (c) => c !== 0, ne: (c) => c !== 0,
};

export const TESTS: Readonly<Record<string, FunctionSpec>> = {
  defined: { minArgs: 0, maxArgs: 0, acceptsUndefined: true, fn: (v) => !(v instanceof Undef) },
  undefined: { minArgs: 0, maxArgs: 0, acceptsUndefined: true, fn: (v) => v instanceof Undef },
  none: { minArgs: 0, maxArgs: 0, fn: (v) => v === null },
  changed: { minArgs: 0, maxArgs: 0, fn: (v, _a, pos) => resultFlag('changed', v, 'changed', pos) },
  failed: { minArgs: 0, maxArgs: 0, fn: (v, _a, pos) => resultFlag('failed', v, 'failed', pos) },
  skipped: { minArgs: 0, maxArgs: 0, fn: (v, _a, pos) => resultFlag('skipped', v, 'skipped', pos) },
  succeeded: { minArgs: 0, maxArgs: 0, fn: (v, _a, pos) => !resultFlag('succeeded', v, 'failed', pos) },
  success: { minArgs: 0, maxArgs: 0, fn: (v, _a, pos) => !resultFlag('success', v, 'failed', pos) },
  match: { minArgs: 1, maxArgs: 1, fn: (v, [p], pos) => regex('match', p, pos, true).test(str('match', v, pos)) },
  search: { minArgs: 1, maxArgs: 1, fn: (v, [p], pos) => regex('search', p, pos, false).test(str('search', v, pos)) },
  string: { minArgs: 0, maxArgs: 0, fn: (v) => typeof v === 'string' },
  number: { minArgs: 0, maxArgs: 0, fn: (v) => typeof v === 'number' },
  boolean: { minArgs: 0, maxArgs: 0, fn: (v) => typeof v === 'boolean' },
  mapping: { minArgs: 0, maxArgs: 0, fn: (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !isSecret(v) },
  sequence: { minArgs: 0, maxArgs: 0, fn: (v) => Array.isArray(v) || typeof v === 'string' },
  truthy: { minArgs: 0, maxArgs: 0, fn: (v) => truthy(v) },
  falsy: { minArgs: 0, maxArgs: 0, fn: (v) => !truthy(v) },
  version: {
    minArgs: 1,
    maxArgs: 2,
    fn: (v, [other, op], pos) => {
      const opName = op === undefined ? '==' : str('version', op, pos);
      const check = Object.prototype.hasOwnProperty.call(VERSION_OPS, opName) ? VERSION_OPS[opName] : undefined;
      if (!check) throw new EvalFailure(`version: unknown operator "${opName}"`, pos, `use one of ${Object.keys(VERSION_OPS).join(' ')}`);
      return check(versionCompare(textOf(v), textOf(other)));
    },
  },
};

function toInt(v: unknown, fallback: unknown): unknown {
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && /^\s*[-+]?\d+(\.\d*)?\s*$/.test(v)) return Math.trunc(Number(v));
  return fallback ?? 0; // Jinja: a failed conversion gives the default (0)
}

function toFloat(v: unknown, fallback: unknown): unknown {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return fallback ?? 0;
}

function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1;
  if (typeof v === 'string') return ['yes', 'on', '1', 'true', 'y', 't'].includes(v.trim().toLowerCase());
  return false;
}

function lengthOf(v: unknown, pos: number): number {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (isSecret(v)) return v.reveal().length;
  if (v !== null && typeof v === 'object') return Object.keys(v).length;
  throw new EvalFailure(`length: ${typeName(v)} has no length`, pos);
}

function firstOrLast(name: string, v: unknown, pos: number, last: boolean): unknown {
  if (typeof v !== 'string' && !Array.isArray(v)) throw new EvalFailure(`${name}: expected a list or string, got ${typeName(v)}`, pos);
  if (v.length === 0) return new Undef(`(empty ${typeName(v)}) | ${name}`, pos, `${name} of an empty ${typeName(v)}`);
  return last ? v[v.length - 1] : v[0];
}

const defaultFilter: FunctionSpec = {
  minArgs: 0,
  maxArgs: 2,
  acceptsUndefined: true,
  // Undefined or none -> the default; with a true second argument also any falsy value.
  fn: (v, [fallback, boolean]) => (v instanceof Undef || v === null || (boolean === true && !truthy(v)) ? (fallback ?? '') : v),
};

export const FILTERS: Readonly<Record<string, FunctionSpec>> = {
  default: defaultFilter,
  d: defaultFilter,
  length: { minArgs: 0, maxArgs: 0, fn: (v, _a, pos) => lengthOf(v, pos) },
  count: { minArgs: 0, maxArgs: 0, fn: (v, _a, pos) => lengthOf(v, pos) },
  int: { minArgs: 0, maxArgs: 1, fn: (v, [d]) => toInt(v, d) },
  float: { minArgs: 0, maxArgs: 1, fn: (v, [d]) => toFloat(v, d) },
  bool: { minArgs: 0, maxArgs: 0, fn: (v) => toBool(v) },
  string: { minArgs: 0, maxArgs: 0, fn: (v) => textOf(v) },
  lower: { minArgs: 0, maxArgs: 0, fn: (v, _a, pos) => str('lower', v, pos).toLowerCase() },
  upper: { minArgs: 0, maxArgs: 0, fn: (v, _a, pos) => str('upper', v, pos).toUpperCase() },
  trim: { minArgs: 0, maxArgs: 0, fn: (v, _a, pos) => str('trim', v, pos).trim() },
  first: { minArgs: 0, maxArgs: 0, fn: (v, _a, pos) => firstOrLast('first', v, pos, false) },
  last: { minArgs: 0, maxArgs: 0, fn: (v, _a, pos) => firstOrLast('last', v, pos, true) },
  join: {
    minArgs: 0,
    maxArgs: 1,
    fn: (v, [sep], pos) => {
      if (!Array.isArray(v)) throw new EvalFailure(`join: expected a list, got ${typeName(v)}`, pos);
      return v.map(textOf).join(sep === undefined ? '' : str('join', sep, pos));
    },
  },
};

