/**
 * The variables a task sees on one host, by precedence (lowest first):
 *   inventory (resolved chain) < facts < play vars/vars_files < block vars < task vars
 *   < registered/set_fact < -e
 * plus magic vars (inventory_hostname, groups, hostvars, ansible_check_mode, ...).
 *
 * Trusted layers (inventory, playbook, -e) may contain templates referring to other vars; they
 * are rendered lazily, each string exactly ONCE, in dependency order. Untrusted layers (facts,
 * registered results, set_fact values) are inserted as data and never rendered: a fact whose
 * text is `{{ x }}` stays that literal text (Ansible's unsafe-facts class of bugs).
 */
import { K3playError } from '../errors/k3play-error.js';
import type { SourceLocation } from '../errors/source-location.js';

export type RenderFn = (value: unknown, vars: Record<string, unknown>, where: SourceLocation) => unknown;

interface Entry {
  value: unknown;
  trusted: boolean;
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;
const TEMPLATE_BLOCK = /\{\{([\s\S]*?)\}\}/g;

/** Identifiers a string may refer to: inside {{ }} blocks, or the whole text for expressions. */
export function referencedNames(value: unknown, isExpression = false, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    if (isExpression) {
      for (const m of value.matchAll(IDENT)) out.add(m[0]);
    } else if (value.includes('{{')) {
      for (const block of value.matchAll(TEMPLATE_BLOCK)) for (const m of block[1]!.matchAll(IDENT)) out.add(m[0]);
    }
  } else if (Array.isArray(value)) {
    for (const v of value) referencedNames(v, isExpression, out);
  } else if (value !== null && typeof value === 'object' && !(value instanceof Buffer)) {
    for (const v of Object.values(value)) referencedNames(v, isExpression, out);
  }
  return out;
}

export function hasTemplate(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{');
  if (Array.isArray(value)) return value.some(hasTemplate);
  if (value !== null && typeof value === 'object' && !(value instanceof Buffer)) {
    return Object.values(value).some(hasTemplate);
  }
  return false;
}

export interface VarLayers {
  readonly inventory: Readonly<Record<string, unknown>>;
  readonly facts: Readonly<Record<string, unknown>>;
  readonly play: Readonly<Record<string, unknown>>;
  readonly scoped: readonly Readonly<Record<string, unknown>>[];
  readonly run: ReadonlyMap<string, unknown>;
  readonly extra: Readonly<Record<string, unknown>>;
  readonly magic: Readonly<Record<string, unknown>>;
}

/**
 * Builds the vars object for rendering `needed` names (and whatever they refer to). Vars not
 * needed are passed through as they are (unrendered), which is harmless: nothing reads them.
 * `needed === 'all'` renders every trusted templated value (for hostvars and debug var dumps).
 */
export function buildVars(layers: VarLayers, needed: ReadonlySet<string> | 'all', render: RenderFn, where: SourceLocation): Record<string, unknown> {
  const merged = new Map<string, Entry>();
  const put = (src: Readonly<Record<string, unknown>>, trusted: boolean) => {
    for (const k of Object.keys(src)) merged.set(k, { value: src[k], trusted });
  };
  put(layers.inventory, true);
  put(layers.facts, false);
  put(layers.play, true);
  for (const s of layers.scoped) put(s, true);
  for (const [k, v] of layers.run) merged.set(k, { value: v, trusted: false });
  put(layers.extra, true);

  const out: Record<string, unknown> = { ...layers.magic };
  for (const [k, e] of merged) out[k] = e.value;

  const state = new Map<string, 'resolving' | 'done'>();
  const resolve = (name: string, chain: string[]): void => {
    const e = merged.get(name);
    if (!e || !e.trusted || state.get(name) === 'done' || !hasTemplate(e.value)) return;
    if (state.get(name) === 'resolving') {
      throw new K3playError({
        loc: where,
        message: `variable "${name}" refers to itself: ${[...chain, name].join(' -> ')}`,
        hint: 'break the cycle: one of these variables must have a plain value',
      });
    }
    state.set(name, 'resolving');
    for (const dep of referencedNames(e.value)) resolve(dep, [...chain, name]);
    out[name] = render(e.value, out, where);
    state.set(name, 'done');
  };
  const names = needed === 'all' ? [...merged.keys()] : [...needed];
  for (const n of names) resolve(n, []);
  return out;
}
