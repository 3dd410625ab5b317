/**
 * Renders the playbook's own strings with handlebars (noEscape; strictness and safety come from
 * rewrite-ast.ts). Used for inline task args and by the `template` module.
 *
 * Contracts:
 *  - A string without `{{` is returned as is (no compile).
 *  - A string that is exactly one `{{ expr }}` returns the VALUE with its type (list, number,
 *    mapping, Secret), as Ansible does: `loop: "{{ groups.servers }}"` gets a list.
 *  - Otherwise the result is a string. Lists/mappings interpolated into text become JSON.
 *  - Only the playbook's text is ever compiled. Values substituted from variables (facts, command
 *    output, registered results) are inserted literally and never rendered again, so a fact whose
 *    value is `{{ secret }}` stays that literal text.
 *  - Secrets: `{{ token }}` alone returns the Secret itself. A Secret interpolated into larger
 *    text is revealed in the returned string (the engine must write the real value to the host),
 *    and that whole string is registered with the masker (registerSecretValue), so displaying it
 *    prints `********`. Helpers given a Secret return a Secret (`{{b64encode token}}`).
 *  - An undefined variable is a K3playError at the template's file:line:col, naming the variable
 *    and its position inside the template, with a did-you-mean hint.
 * Compiled templates are cached by text: the same task is rendered for hundreds of hosts.
 * A template that is exactly one plain variable path (`{{ name }}`, `{{ item.path }}`, the most
 * common kind) is looked up directly, the same own-property walk as the compiled form; when that
 * finds nothing usable the compiled form runs, so errors are word for word the same. Compiling
 * (parse, AST rewrite, code generation, eval) cost a few ms per distinct template.
 */
import Handlebars from 'handlebars';
import { K3playError } from '../errors/k3play-error.js';
import { Secret, isSecret, registerSecretValue } from '../module-api/secret.js';
import { BUILTIN_BLOCK_HELPERS, handlebarsHelpers, HELPERS } from './helpers.js';
import { withRenderState, type TemplateVars } from './render-state.js';
import { prepareTemplate } from './rewrite-ast.js';
import { isForbiddenName, ownProperty } from './safe-access.js';
import { TemplateFailure, failureError, type TemplateWhere } from './template-error.js';

interface CompiledTemplate {
  readonly run: (vars: TemplateVars) => string;
  readonly single: boolean;
}

/** A template that is one variable path: its segments, and the compiled form (made on demand). */
interface PathTemplate {
  readonly path: readonly string[];
  full?: CompiledTemplate;
}

const hb = Handlebars.create();
// The only thing handlebars logs is prototype-access denial; those lookups already resolve to
// undefined and become our own "undefined variable" error, so the console stays clean.
Handlebars.logger.level = 'silent' as unknown as number;
hb.unregisterHelper('log');
hb.registerHelper(handlebarsHelpers());

const knownHelpers: Record<string, boolean> = {};
for (const name of [...Object.keys(HELPERS), ...BUILTIN_BLOCK_HELPERS]) knownHelpers[name] = true;

const COMPILE_OPTIONS = {
  noEscape: true,
  knownHelpers,
  knownHelpersOnly: true,
  preventIndent: true,
  // strict: false on purpose: strictness is implemented by __k3_get (rewrite-ast.ts), which
  // also covers helper arguments and #if, and walks own properties only.
  strict: false,
} as const;

const MAX_CACHE = 10_000;
const cache = new Map<string, CompiledTemplate | PathTemplate>();

const PLAIN_PATH = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}$/;
/** Words handlebars reads as literals or helpers, never as a variable lookup. */
const NOT_VARIABLES: ReadonlySet<string> = new Set(['this', 'true', 'false', 'null', 'undefined', ...Object.keys(HELPERS), ...BUILTIN_BLOCK_HELPERS]);

function plainPath(text: string): readonly string[] | undefined {
  const m = PLAIN_PATH.exec(text);
  if (!m) return undefined;
  const path = m[1]!.split('.');
  if (NOT_VARIABLES.has(path[0]!) || path[0]!.startsWith('__k3') || path.some(isForbiddenName)) return undefined;
  return path;
}

/** The path's value as the compiled form computes it, or undefined where that one fails. */
function lookupPlainPath(path: readonly string[], vars: TemplateVars): unknown {
  const head = path[0]!;
  let cur: unknown = Object.prototype.hasOwnProperty.call(vars, head) ? vars[head] : undefined;
  if (typeof cur === 'function') return undefined;
  for (let i = 1; i < path.length && cur !== undefined; i++) cur = ownProperty(cur, path[i]!);
  return cur;
}

/** For tests and memory accounting. */
export function templateCacheSize(): number {
  return cache.size;
}

export function clearTemplateCache(): void {
  cache.clear();
}

function cached(text: string): CompiledTemplate | PathTemplate {
  const hit = cache.get(text);
  if (hit) return hit;
  const path = plainPath(text);
  const entry: CompiledTemplate | PathTemplate = path ? { path } : compiled(text);
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(text, entry);
  return entry;
}

function compiled(text: string): CompiledTemplate {
  const { program, single } = prepareTemplate(text);
  const fn = hb.compile(program as unknown as string, COMPILE_OPTIONS);
  return {
    run: (vars) => fn(vars, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false }),
    single,
  };
}

function isPathTemplate(t: CompiledTemplate | PathTemplate): t is PathTemplate {
  return 'path' in t;
}

/** True when `text` contains template syntax and needs rendering. */
export function isTemplate(text: string): boolean {
  return text.includes('{{');
}

export function renderString(text: string, vars: TemplateVars, where: TemplateWhere): unknown {
  if (!text.includes('{{')) return text;
  try {
    let tpl = cached(text);
    if (isPathTemplate(tpl)) {
      const v = lookupPlainPath(tpl.path, vars);
      if (v !== undefined) return v;
      tpl = tpl.full ??= compiled(text); // not found: the compiled form reports it
    }
    const run = tpl;
    return withRenderState(vars, (state) => {
      const out = run.run(vars);
      if (run.single) {
        const v = state.captured;
        // A string derived from a Secret stays a Secret (see helpers.ts); keep the type.
        if (typeof v === 'string' && state.tainted) return new Secret(v);
        return v;
      }
      if (state.tainted) registerSecretValue(out);
      return out;
    });
  } catch (e) {
    throw toUserError(e, where);
  }
}

/** Renders every string inside objects/arrays (keys are not rendered). Other values pass through. */
export function renderDeep(value: unknown, vars: TemplateVars, where: TemplateWhere): unknown {
  if (typeof value === 'string') return renderString(value, vars, where);
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, vars, where));
  if (value !== null && typeof value === 'object' && !isSecret(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderDeep(v, vars, where);
    return out;
  }
  return value;
}

function toUserError(e: unknown, where: TemplateWhere): unknown {
  if (e instanceof K3playError) return e;
  if (e instanceof TemplateFailure) return failureError(where, e);
  // Handlebars runtime exceptions (e.g. "#each" over a non-iterable) carry lineNumber/column.
  const err = e as { message?: string; lineNumber?: number; column?: number };
  if (e instanceof Error && typeof err.lineNumber === 'number') {
    return failureError(
      where,
      new TemplateFailure(`template error: ${e.message.replace(/ - \d+:\d+$/, '')}`, undefined, { line: err.lineNumber, column: err.column ?? 0 }),
    );
  }
  if (e instanceof Error) return failureError(where, new TemplateFailure(`template error: ${e.message}`));
  return e;
}
