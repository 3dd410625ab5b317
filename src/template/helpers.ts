/**
 * The handlebars helpers available in k3play templates (and nothing else: templates are compiled
 * with `knownHelpersOnly`, so an unknown helper is a compile error, not a silent empty string).
 * Helpers only compute values; they never render templates, never call functions found in data
 * and read properties only through safe-access.ts. A helper that receives a Secret returns a
 * Secret (mask by type): `{{b64encode token}}` stays masked wherever it is displayed.
 *
 * Internal helpers (prefix `__k3_`) are inserted by rewrite-ast.ts: strict variable lookup,
 * output conversion and whole-string value capture.
 */
import { stringify as yamlStringify } from 'yaml';
import { Secret, isSecret } from '../module-api/secret.js';
import { didYouMean } from '../errors/did-you-mean.js';
import { currentState } from './render-state.js';
import { isForbiddenName, ownKeys, ownProperty, typeName } from './safe-access.js';
import { TemplateFailure, undefinedHint, type TextPos } from './template-error.js';

export interface HelperOptions {
  readonly loc?: { readonly start: TextPos };
  readonly hash?: Record<string, unknown>;
}

type HelperImpl = (args: unknown[], options: HelperOptions) => unknown;

function posOf(o: HelperOptions): TextPos | undefined {
  return o.loc?.start;
}

function fail(o: HelperOptions, message: string, hint?: string): never {
  throw new TemplateFailure(message, hint, posOf(o));
}

/** Replace Secrets by their values, deeply; reports whether any was found. */
export function revealDeep(v: unknown, seen: { secret: boolean }): unknown {
  if (isSecret(v)) {
    seen.secret = true;
    return v.reveal();
  }
  if (Array.isArray(v)) return v.map((x) => revealDeep(x, seen));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = revealDeep((v as Record<string, unknown>)[k], seen);
    return out;
  }
  return v;
}

/** Text of a value when interpolated: strings as is, lists/mappings as JSON, none as ''. */
export function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * Wraps a string-producing helper: Secrets among the arguments are revealed for the computation
 * and the result is returned as a Secret.
 */
function secretAware(fn: (args: unknown[], o: HelperOptions) => string): HelperImpl {
  return (args, o) => {
    const seen = { secret: false };
    const plain = args.map((a) => revealDeep(a, seen));
    const out = fn(plain, o);
    return seen.secret ? new Secret(out) : out;
  };
}

function str(o: HelperOptions, name: string, v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return fail(o, `${name}: expected a string, got ${typeName(v)}`);
}

function requireArgs(o: HelperOptions, name: string, args: unknown[], min: number, usage: string): void {
  if (args.length < min) fail(o, `${name}: expected ${min} argument${min === 1 ? '' : 's'}, got ${args.length}`, `usage: ${usage}`);
}

function equal(a: unknown, b: unknown): boolean {
  const x = isSecret(a) ? a.reveal() : a;
  const y = isSecret(b) ? b.reveal() : b;
  if (x === y) return true;
  if (typeof x === 'object' && typeof y === 'object' && x !== null && y !== null) return JSON.stringify(x) === JSON.stringify(y);
  return false;
}

/** Strict path lookup inserted for every variable reference: `x.y.z` -> (__k3_get "x.y.z" x "y" "z"). */
function lookupPath(args: unknown[], o: HelperOptions, strict: boolean): unknown {
  const [pathText, head, ...tail] = args as [string, unknown, ...string[]];
  const headName = pathText.split(/[./]/)[0] ?? pathText;
  if (head === undefined || typeof head === 'function') {
    if (!strict) return undefined;
    const { vars } = currentState();
    const bare = headName.replace(/^@root$/, '');
    const inRoot = bare !== '' && Object.prototype.hasOwnProperty.call(vars, bare);
    const extra = inRoot ? `"${bare}" is a top-level variable: inside {{#each}}/{{#with}} write @root.${bare} or ../${bare}` : undefined;
    fail(o, `undefined variable "${pathText}"`, undefinedHint(didYouMean(bare, Object.keys(vars)), extra));
  }
  let cur: unknown = head;
  let walked = headName;
  for (const seg of tail) {
    const next = ownProperty(cur, seg);
    if (next === undefined) {
      if (!strict) return undefined;
      fail(o, `undefined variable "${pathText}": ${describeMissing(walked, cur, seg)}`, undefinedHint(didYouMean(seg, ownKeys(cur))));
    }
    cur = next;
    walked = `${walked}.${seg}`;
  }
  return cur;
}

function describeMissing(walked: string, parent: unknown, key: string): string {
  if (Array.isArray(parent)) return `"${walked}" is a list of ${parent.length} item${parent.length === 1 ? '' : 's'}, it has no index ${key}`;
  if (parent !== null && typeof parent === 'object' && !isSecret(parent)) return `"${walked}" has no key "${key}"`;
  return `"${walked}" is ${typeName(parent)}, it has no "${key}"`;
}

function hostvarsOf(o: HelperOptions): Record<string, unknown> {
  const hv = ownProperty(currentState().vars, 'hostvars');
  if (hv === undefined || hv === null || typeof hv !== 'object') fail(o, 'hostvars: no hostvars in this context');
  return hv as Record<string, unknown>;
}

export const HELPERS: Readonly<Record<string, HelperImpl>> = {
  __k3_get: (args, o) => lookupPath(args, o, true),
  __k3_opt: (args, o) => lookupPath(args, o, false),
  __k3_out: ([v], o) => {
    if (v === undefined) fail(o, 'expression is undefined', 'a lookup found nothing: wrap it in {{default (...) "fallback"}}');
    const seen = { secret: false };
    const text = textOf(revealDeep(v, seen));
    if (seen.secret) currentState().tainted = true;
    return text;
  },
  __k3_capture: ([v], o) => {
    if (v === undefined) fail(o, 'expression is undefined', 'a lookup found nothing: wrap it in {{default (...) "fallback"}}');
    currentState().captured = v;
    return '';
  },

  default: (args, o) => {
    requireArgs(o, 'default', args, 2, '{{default value "fallback"}}');
    const [v, fallback] = args;
    return v === undefined || v === null ? fallback : v;
  },
  join: secretAware((args, o) => {
    requireArgs(o, 'join', args, 1, '{{join list ","}}');
    const [list, sep] = args;
    if (!Array.isArray(list)) fail(o, `join: expected a list, got ${typeName(list)}`);
    return list.map(textOf).join(sep === undefined ? ',' : str(o, 'join', sep));
  }),
  json: secretAware((args, o) => {
    requireArgs(o, 'json', args, 1, '{{json value}}');
    const indent = o.hash?.['indent'];
    return JSON.stringify(args[0], null, typeof indent === 'number' ? indent : undefined) ?? 'null';
  }),
  yaml: secretAware((args, o) => {
    requireArgs(o, 'yaml', args, 1, '{{yaml value}}');
    return yamlStringify(args[0]);
  }),
  to_int: (args, o) => {
    requireArgs(o, 'to_int', args, 1, '{{to_int value}}');
    const [v] = args;
    const n = typeof v === 'number' ? Math.trunc(v) : typeof v === 'string' && /^\s*[-+]?\d+(\.\d*)?\s*$/.test(v) ? Math.trunc(Number(v)) : NaN;
    if (Number.isNaN(n)) fail(o, `to_int: cannot convert ${typeName(v)} ${JSON.stringify(textOf(v))} to an integer`);
    return n;
  },
  b64encode: secretAware((args, o) => Buffer.from(str(o, 'b64encode', args[0]), 'utf8').toString('base64')),
  b64decode: secretAware((args, o) => Buffer.from(str(o, 'b64decode', args[0]), 'base64').toString('utf8')),
  regex_replace: secretAware((args, o) => {
    requireArgs(o, 'regex_replace', args, 3, '{{regex_replace value "pattern" "replacement"}}');
    const [v, pattern, repl] = args;
    let re: RegExp;
    try {
      re = new RegExp(str(o, 'regex_replace', pattern), 'g');
    } catch (e) {
      return fail(o, `regex_replace: invalid pattern: ${(e as Error).message}`);
    }
    // Python-style back-references (\1) as in Ansible, next to JavaScript's $1.
    const replacement = str(o, 'regex_replace', repl).replace(/\\(\d)/g, '$$$1');
    return str(o, 'regex_replace', v).replace(re, replacement);
  }),
  lower: secretAware((args, o) => str(o, 'lower', args[0]).toLowerCase()),
  upper: secretAware((args, o) => str(o, 'upper', args[0]).toUpperCase()),
  trim: secretAware((args, o) => str(o, 'trim', args[0]).trim()),

  hostvars: (args, o) => {
    requireArgs(o, 'hostvars', args, 1, '{{hostvars "h1" "ansible_host"}}');
    const [host, ...keys] = args;
    const name = str(o, 'hostvars', host);
    const all = hostvarsOf(o);
    let cur = ownProperty(all, name);
    if (cur === undefined) fail(o, `hostvars: unknown host "${name}"`, didYouMean(name, Object.keys(all)) || 'hosts come from the inventory');
    let walked = `hostvars "${name}"`;
    for (const k of keys) {
      const key = str(o, 'hostvars', k);
      const next = ownProperty(cur, key);
      if (next === undefined) fail(o, `undefined variable: ${describeMissing(walked, cur, key)}`, undefinedHint(didYouMean(key, ownKeys(cur))));
      cur = next;
      walked = `${walked} "${key}"`;
    }
    return cur;
  },
  group: (args, o) => {
    requireArgs(o, 'group', args, 1, '{{#each (group "etcd")}}{{this}}{{/each}}');
    const name = str(o, 'group', args[0]);
    const groups = ownProperty(currentState().vars, 'groups');
    const members = ownProperty(groups, name);
    if (!Array.isArray(members)) fail(o, `group: unknown group "${name}"`, didYouMean(name, ownKeys(groups)) || 'groups come from the inventory');
    return members;
  },
  dict2items: (args, o) => {
    requireArgs(o, 'dict2items', args, 1, '{{dict2items mapping}}');
    const [m] = args;
    if (m === null || typeof m !== 'object' || Array.isArray(m)) fail(o, `dict2items: expected a mapping, got ${typeName(m)}`);
    return ownKeys(m).map((key) => ({ key, value: ownProperty(m, key) }));
  },
  lookup: (args, o) => {
    requireArgs(o, 'lookup', args, 2, '{{lookup mapping "key"}}');
    const key = args[1];
    if (typeof key !== 'string' && typeof key !== 'number') fail(o, `lookup: key must be a string or number, got ${typeName(key)}`);
    if (isForbiddenName(String(key))) fail(o, `lookup: "${String(key)}" is not allowed`);
    return ownProperty(args[0], key);
  },

  eq: (args) => equal(args[0], args[1]),
  ne: (args) => !equal(args[0], args[1]),
  lt: (args) => (args[0] as number) < (args[1] as number),
  gt: (args) => (args[0] as number) > (args[1] as number),
  and: (args) => args.every(truthy),
  or: (args) => args.some(truthy),
  not: (args) => !truthy(args[0]),
};

/** Handlebars' own block helpers we keep (each, if, unless, with); all else is ours. */
export const BUILTIN_BLOCK_HELPERS: ReadonlySet<string> = new Set(['each', 'if', 'unless', 'with']);

/** Names a template may use as a helper. */
export const PUBLIC_HELPER_NAMES: readonly string[] = [
  ...Object.keys(HELPERS).filter((n) => !n.startsWith('__k3_')),
  ...BUILTIN_BLOCK_HELPERS,
];

/** Jinja/Python truthiness: none, false, 0, '', [] and {} are false. */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isSecret(v)) return v.reveal() !== '';
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

/** Adapts our helpers to handlebars' calling convention (options last). */
export function handlebarsHelpers(): Record<string, (...args: unknown[]) => unknown> {
  const out: Record<string, (...args: unknown[]) => unknown> = {};
  for (const [name, impl] of Object.entries(HELPERS)) {
    out[name] = (...all: unknown[]) => {
      const options = (all[all.length - 1] ?? {}) as HelperOptions;
      return impl(all.slice(0, -1), options);
    };
  }
  return out;
}
