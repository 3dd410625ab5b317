/**
 * Runs an ajv schema over one node of a YAML document and turns every error into a Problem a
 * person can act on: located at file:line:col, worded in YAML terms (`must be string (got number
 * 1)`, `unknown task keyword "whn"` + `did you mean "when"?`), with a hint where one helps
 * (quoting, yes/no booleans). Owns the one ajv instance of the loader and the compile cache.
 * It knows nothing about plays or tasks: callers say how paths map into the document and how
 * unknown or missing keys are worded.
 */
import { Ajv, type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Problem } from '../errors/k3play-error.js';
import { locate, pointerToPath } from '../errors/yaml-source.js';
import { didYouMean } from '../errors/did-you-mean.js';
import { sourceText, type DocPath, type SourceDoc } from './yaml-file.js';
import { precompiledValidator } from '../schema/precompiled-validators.js';
import { AJV_OPTIONS } from '../schema/validator-profiles.js';

type DataPath = readonly (string | number)[];

export interface Wording {
  readonly message: string;
  readonly hint?: string;
}

export interface SchemaCheck {
  readonly src: SourceDoc;
  /** Where the validated value sits in the document. */
  readonly at: DocPath;
  readonly context?: string;
  /** Label of the validated value's root in messages (`args`), '' for none. */
  readonly rootLabel?: string;
  /** Maps a path inside the value to its document path (args merged from two places); default: at + path. */
  readonly docPath?: (p: DataPath) => DocPath;
  /** Wording for an unknown key; default `unknown key "k"` + did-you-mean over the schema's properties. */
  readonly unknownKey?: (key: string, parent: DataPath, known: readonly string[]) => Wording;
  /** Wording for a missing required key; default `missing required key "k"`. */
  readonly missingKey?: (key: string, parent: DataPath) => Wording;
  /** Skip errors on strings holding `{{` (rendered later, checked again then). */
  readonly forgiveTemplates?: boolean;
}

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;

let ajv: Ajv | undefined;
const compiled = new WeakMap<SchemaObject, ValidateFunction>();

/** Compiles each schema object once (module schemas are shared constants), or takes the build's precompiled validator. */
export function compileSchema(schema: SchemaObject): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = precompiledValidator('load', schema);
    if (!fn) {
      ajv ??= addFormats(new Ajv(AJV_OPTIONS.load));
      fn = ajv.compile(schema);
    }
    compiled.set(schema, fn);
  }
  return fn;
}

export function checkSchema(schema: SchemaObject, value: unknown, check: SchemaCheck): Problem[] {
  const validate = compileSchema(schema);
  if (validate(value)) return [];
  const errors = reduceComposites(validate.errors ?? []);
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (check.forgiveTemplates && isTemplate(e.data) && !['required', 'additionalProperties'].includes(e.keyword)) continue;
    const p = toProblem(e, check);
    const key = `${p.loc?.line}:${p.loc?.col}:${p.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}

export function isTemplate(v: unknown): boolean {
  return typeof v === 'string' && v.includes('{{');
}

/**
 * anyOf/oneOf produce one error per failed branch plus their own. When every branch failed on
 * type at the same place, they merge into one `must be A or B` error; otherwise the branch errors
 * that went deeper (the value had the right type but wrong content) are kept and the rest dropped.
 */
function reduceComposites(errors: readonly ErrorObject[]): ErrorObject[] {
  const consumed = new Set<ErrorObject>();
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf') continue;
    if (e.keyword === 'oneOf' && (e.params as { passingSchemas?: unknown }).passingSchemas) continue;
    const children = errors.filter((c) => c !== e && c.schemaPath.startsWith(`${e.schemaPath}/`));
    children.forEach((c) => consumed.add(c));
    const deeper = children.filter((c) => !(c.keyword === 'type' && c.instancePath === e.instancePath) && c.keyword !== 'if');
    if (deeper.length > 0) {
      deeper.forEach((c) => out.push(c));
      consumed.add(e);
    } else {
      const types = children.flatMap((c) => String((c.params as { type?: string }).type ?? '').split(',')).filter((t) => t !== '');
      if (types.length > 0) {
        consumed.add(e);
        out.push({ ...e, keyword: 'type', params: { type: [...new Set(types)].join(',') } });
      }
    }
  }
  for (const e of errors) if (!consumed.has(e) && e.keyword !== 'if') out.push(e);
  return out;
}

function toProblem(e: ErrorObject, check: SchemaCheck): Problem {
  const dataPath = pointerToPath(e.instancePath);
  const docPath = check.docPath ? check.docPath(dataPath) : [...check.at, ...dataPath];
  const label = labelOf(check.rootLabel ?? '', dataPath);
  const prefix = label === '' ? '' : `${label}: `;
  const context = check.context !== undefined ? { context: check.context } : {};
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const known = Object.keys(((e.parentSchema ?? {}) as { properties?: object }).properties ?? {});
      const w = check.unknownKey?.(key, dataPath, known) ?? { message: `unknown key "${key}"`, hint: didYouMean(key, known) };
      const keyPath = check.docPath ? check.docPath([...dataPath, key]) : [...docPath, key];
      return { loc: locate(check.src, keyPath, 'key'), ...context, message: prefix + w.message, ...(w.hint ? { hint: w.hint } : {}) };
    }
    case 'required': {
      const key = String(params['missingProperty']);
      const w = check.missingKey?.(key, dataPath) ?? { message: `missing required key "${key}"` };
      // Point at the key that owns the incomplete mapping (`file:`), or the list item start.
      return { loc: locate(check.src, docPath, 'key'), ...context, message: prefix + w.message, ...(w.hint ? { hint: w.hint } : {}) };
    }
    default: {
      const w = describeError(e, check, docPath);
      // Point at the key that owns the incomplete mapping (`file:`), or the list item start.
      return { loc: locate(check.src, docPath, 'key'), ...context, message: prefix + w.message, ...(w.hint ? { hint: w.hint } : {}) };
    }
  }
}

const YAML11_BOOLEANS = new Set(['yes', 'no', 'on', 'off', 'y', 'n', 'Yes', 'No', 'YES', 'NO', 'On', 'Off']);

function describeError(e: ErrorObject, check: SchemaCheck, docPath: DocPath): Wording {
  const params = e.params as Record<string, unknown>;
  const data: unknown = e.data;
  switch (e.keyword) {
    case 'type': {
      const expected = String(params['type']).split(',');
      return { message: `must be ${typeWords(expected)} (got ${describeValue(data)})`, ...typeHint(expected, data, check, docPath) };
    }
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
      const hint =
        typeof data === 'string'
          ? didYouMean(data, allowed) ?? (YAML11_BOOLEANS.has(data) && allowed.includes('true') ? 'write true or false (yes/no are plain strings in YAML 1.2)' : undefined)
          : undefined;
      return { message: `must be one of ${allowed.join(', ')} (got ${describeValue(data)})`, ...(hint ? { hint } : {}) };
    }
    case 'const':
      return { message: `must be ${JSON.stringify(params['allowedValue'])} (got ${describeValue(data)})` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { message: `must be ${String(params['comparison'])} ${String(params['limit'])} (got ${describeValue(data)})` };
    case 'minLength':
      return params['limit'] === 1 ? { message: 'must not be empty' } : { message: `must be at least ${String(params['limit'])} characters long` };
    case 'maxLength':
      return { message: `must be at most ${String(params['limit'])} characters long` };
    case 'minItems':
      return params['limit'] === 1 ? { message: 'must not be an empty list' } : { message: `must have at least ${String(params['limit'])} items` };
    case 'maxItems':
      return { message: `must have at most ${String(params['limit'])} items` };
    case 'minProperties':
      return { message: params['limit'] === 1 ? 'must not be empty' : `must have at least ${String(params['limit'])} keys` };
    case 'pattern':
      return { message: `must match the pattern ${String(params['pattern'])} (got ${describeValue(data)})` };
    case 'format':
      return { message: `must be a valid ${String(params['format'])} (got ${describeValue(data)})` };
    case 'uniqueItems':
      return { message: `must not repeat items (items ${String(params['j'])} and ${String(params['i'])} are equal)` };
    case 'dependentRequired':
    case 'dependencies':
      return { message: `"${String(params['missingProperty'])}" is required when "${String(params['property'])}" is given` };
    case 'anyOf':
    case 'oneOf':
      return { message: `does not match any allowed form (got ${describeValue(data)})` };
    default:
      return { message: e.message ?? `is invalid (${e.keyword})` };
  }
}

function typeHint(expected: readonly string[], data: unknown, check: SchemaCheck, docPath: DocPath): Partial<Wording> {
  const key = docPath[docPath.length - 1];
  const keyText = typeof key === 'string' ? `${key}: ` : '- ';
  if (expected.includes('string') && expected.includes('boolean') && typeof data === 'number') {
    // a condition keyword (when, until, changed_when): a bare number is no condition
    return { hint: `write a condition, e.g. ${keyText}result.rc == ${String(data)}` };
  }
  if (expected.includes('string') && (typeof data === 'number' || typeof data === 'boolean')) {
    const text = sourceText(check.src, docPath) ?? String(data);
    return { hint: `quote it in YAML: ${keyText}"${text.replace(/^["']|["']$/g, '')}"` };
  }
  if (expected.includes('boolean') && typeof data === 'string' && YAML11_BOOLEANS.has(data)) {
    return { hint: `write ${keyText}${/^(yes|on|y)$/i.test(data) ? 'true' : 'false'} (yes/no are plain strings in YAML 1.2)` };
  }
  if (isTemplate(data) && !check.forgiveTemplates) {
    return { hint: 'this keyword is read when the playbook loads and cannot be a template' };
  }
  if (expected.includes('array') && !expected.includes('string') && isPlainObject(data)) {
    return { hint: 'write a list: each item on its own line, starting with "- "' };
  }
  if (expected.includes('object') && typeof data === 'string' && /^\s*\w+=/.test(data)) {
    return { hint: 'key=value strings are not supported; write a YAML mapping' };
  }
  return {};
}

function isPlainObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const TYPE_WORDS: Record<string, string> = { array: 'list', object: 'mapping', null: 'empty' };

export function typeWords(types: readonly string[]): string {
  const words = [...new Set(types.filter((t) => t !== 'null').map((t) => TYPE_WORDS[t] ?? t))];
  if (words.length <= 1) return words[0] ?? 'empty';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** `number 1`, `string "abc"`, `list`, `mapping`, `nothing` (YAML empty value). */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'mapping';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
  return `${typeof v} ${String(v)}`;
}

/** `args.env.FOO`, `loop_control.label`, `args.items[0]`. */
export function labelOf(root: string, path: DataPath): string {
  let s = root;
  for (const seg of path) s = typeof seg === 'number' ? `${s}[${seg}]` : s === '' ? seg : `${s}.${seg}`;
  return s;
}

