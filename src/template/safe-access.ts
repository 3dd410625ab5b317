/**
 * The only way templates and `when` expressions read a property of a value: own properties of
 * plain data (objects, arrays, strings' `length` and indexes), never anything inherited, never
 * a function, never `constructor` / `__proto__` / `prototype`. This file owns that rule; it does
 * not know about variables' origins, errors' wording or source positions.
 */
import { isSecret } from '../module-api/secret.js';

/** Names rejected outright wherever they appear as a property or variable name. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set([
  'constructor',
  '__proto__',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

export function isForbiddenName(name: string): boolean {
  return FORBIDDEN_NAMES.has(name);
}

/**
 * `parent[key]` if `key` is an own, non-function property of plain data; otherwise undefined.
 * Secrets expose nothing (they are opaque). Array/string indexes may be numbers or digit strings.
 */
export function ownProperty(parent: unknown, key: string | number): unknown {
  if (parent === null || parent === undefined) return undefined;
  const name = String(key);
  if (isForbiddenName(name)) return undefined;
  if (typeof parent === 'string') {
    if (name === 'length') return parent.length;
    return /^\d+$/.test(name) ? parent[Number(name)] : undefined;
  }
  if (typeof parent !== 'object' || isSecret(parent)) return undefined;
  if (Array.isArray(parent)) {
    if (name === 'length') return parent.length;
    if (!/^-?\d+$/.test(name)) return undefined;
    const idx = Number(name);
    // Negative indexes count from the end, as in Python/Jinja (`groups['etcd'][-1]`).
    const v: unknown = parent[idx < 0 ? parent.length + idx : idx];
    return typeof v === 'function' ? undefined : v;
  }
  if (parent instanceof Map) return undefined;
  if (!Object.prototype.hasOwnProperty.call(parent, name)) return undefined;
  const v: unknown = (parent as Record<string, unknown>)[name];
  return typeof v === 'function' ? undefined : v;
}

/** Own enumerable keys of plain data (for did-you-mean hints); [] for anything else. */
export function ownKeys(value: unknown): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || isSecret(value)) return [];
  return Object.keys(value);
}

/** Plain JS type name as users think of it: list, mapping, string, number, boolean, none, secret. */
export function typeName(v: unknown): string {
  if (v === null) return 'none';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'list';
  if (isSecret(v)) return 'secret';
  if (typeof v === 'object') return 'mapping';
  return typeof v;
}
