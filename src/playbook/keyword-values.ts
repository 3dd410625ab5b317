/**
 * Normalising keyword values that YAML lets users write several ways (`when: x` or a list,
 * `tags: "a,b"` or a list, `notify: h` or a list) into the one shape of src/playbook/types.ts.
 * These run after schema checks; on a value of the wrong type they return the empty shape
 * (the problem has already been reported), never throw.
 */

export type Mapping = Record<string, unknown>;

export function isMapping(v: unknown): v is Mapping {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** when / until: string, bool or list -> list of expression texts (a list is ANDed). */
export function conditions(v: unknown): string[] {
  if (typeof v === 'string' || typeof v === 'boolean') return [String(v)];
  if (Array.isArray(v)) return v.filter((x) => typeof x === 'string' || typeof x === 'boolean').map(String);
  return [];
}

/** changed_when / failed_when: a plain boolean stays a boolean. */
export function boolOrConditions(v: unknown): readonly string[] | boolean | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'boolean' ? v : conditions(v);
}

export function stringList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** tags: "a, b" (comma-separated, as Ansible), a number, or a list. */
export function tagList(v: unknown): string[] {
  const items = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  return items
    .filter((x) => typeof x === 'string' || typeof x === 'number')
    .flatMap((x) => String(x).split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function mappingOrEmpty(v: unknown): Mapping {
  return isMapping(v) ? { ...v } : {};
}

export function optionalBool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

export function optionalString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function optionalNumber(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isIdentifier(s: string): boolean {
  return IDENTIFIER.test(s);
}

export const IDENTIFIER_HINT = 'variable names use letters, digits and underscores and do not start with a digit';

/** Drops keys whose value is undefined, so loaded nodes compare cleanly in tests and JSON. */
export function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function pick(o: Mapping, keys: readonly string[]): Mapping {
  const out: Mapping = {};
  for (const k of keys) if (k in o) out[k] = o[k];
  return out;
}
