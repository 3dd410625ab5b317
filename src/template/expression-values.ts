/**
 * Value semantics of the `when` language: the Undefined marker (an undefined variable is a value
 * until something uses it, so `x.y is defined` works), evaluation failures with a position,
 * Jinja-like equality and ordering. No parsing, no variable lookup.
 */
import { isSecret } from '../module-api/secret.js';
import { typeName } from './safe-access.js';
import { DEFINE_HINT } from './template-error.js';

/** An undefined variable or missing key, carried until used. */
export class Undef {
  constructor(
    /** Path as written, e.g. `result.stdout`. */
    readonly path: string,
    readonly pos: number,
    /** Why it is undefined / what is close ("did you mean ..."). */
    readonly detail: string,
  ) {}
}

/** A runtime error at `pos` (0-based offset in the expression text). */
export class EvalFailure extends Error {
  readonly pos: number;
  readonly hint: string | undefined;
  constructor(message: string, pos: number, hint?: string) {
    super(message);
    this.name = 'EvalFailure';
    this.pos = pos;
    this.hint = hint;
  }
}

/** The value, or an "undefined variable" failure when it is Undefined. */
export function defined(v: unknown): unknown {
  if (v instanceof Undef) {
    throw new EvalFailure(`undefined variable "${v.path}"`, v.pos, [v.detail, 'test it with `is defined` or use `| default(...)`', DEFINE_HINT].filter((s) => s !== '').join('; '));
  }
  return v;
}

function plain(v: unknown): unknown {
  return isSecret(v) ? v.reveal() : v;
}

export function equals(a: unknown, b: unknown): boolean {
  const x = plain(a);
  const y = plain(b);
  if (x === y) return true;
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => equals(v, y[i]));
  if (x !== null && y !== null && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x) && !Array.isArray(y)) {
    const kx = Object.keys(x);
    const ky = Object.keys(y);
    return kx.length === ky.length && kx.every((k) => Object.prototype.hasOwnProperty.call(y, k) && equals((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]));
  }
  return false;
}

/** -1/0/1 for two numbers or two strings (or two booleans); anything else is a failure. */
export function compare(a: unknown, b: unknown, pos: number): number {
  const x = plain(a);
  const y = plain(b);
  const bothNum = typeof x === 'number' && typeof y === 'number';
  const bothStr = typeof x === 'string' && typeof y === 'string';
  if (bothNum || bothStr) return x < y ? -1 : x > y ? 1 : 0;
  const numericStr = (v: unknown) => typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v);
  const hint =
    (typeof x === 'number' && numericStr(y)) || (typeof y === 'number' && numericStr(x))
      ? 'one side is a string that looks like a number (INI inventory values are strings): convert it with `| int`'
      : undefined;
  throw new EvalFailure(`cannot compare ${typeName(x)} with ${typeName(y)}`, pos, hint);
}
