/**
 * Text for `k3play modules [NAME]`, generated from the modules themselves: the list (name +
 * summary) and one module's reference (summary, argument table from its JSON schema, secret
 * arguments, examples). Pure string building: it prints nothing and never reads the terminal.
 */
import type { ModuleDef } from '../module-api/index.js';

type AnyModuleDef = ModuleDef<unknown, unknown>;

interface PropSchema {
  type?: string | string[];
  anyOf?: PropSchema[];
  oneOf?: PropSchema[];
  items?: PropSchema;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
}

const WIDTH = 80;

/** One line per module, sorted by name: `  name    summary`. Ends with a newline. */
export function moduleList(registry: ReadonlyMap<string, AnyModuleDef> | Iterable<AnyModuleDef>): string {
  const mods = [...(registry instanceof Map ? registry.values() : (registry as Iterable<AnyModuleDef>))].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  if (mods.length === 0) return 'no modules\n';
  const w = Math.max(...mods.map((m) => m.name.length));
  return mods.map((m) => `${m.name.padEnd(w)}  ${m.summary}\n`).join('');
}

/** The reference page of one module. Ends with a newline. */
export function moduleReference(mod: AnyModuleDef): string {
  const out: string[] = [mod.name, ...wrap(mod.summary, 2), ''];
  if (mod.freeForm) out.push(...wrap(`Free form: "${mod.name}: TEXT" sets ${mod.freeForm} to TEXT.`, 2), '');

  const props = (mod.args['properties'] ?? {}) as Record<string, PropSchema>;
  const required = new Set((mod.args['required'] ?? []) as string[]);
  const secret = new Set(mod.secretArgs ?? []);
  const rows = Object.entries(props).map(([name, p]) => ({
    name: secret.has(name) ? `${name} (secret)` : name,
    type: typeOf(p),
    required: required.has(name) ? 'yes' : 'no',
    default: p.default === undefined ? '-' : display(p.default),
    choices: p.enum ? p.enum.map(display).join(', ') : '-',
    description: [secret.has(name) ? 'SECRET: masked in all output; passed only on stdin or in 0600 files.' : '', p.description ?? '']
      .filter(Boolean)
      .join(' '),
  }));

  out.push('Arguments:');
  if (rows.length === 0) out.push('  (none)');
  else {
    const head = { name: 'name', type: 'type', required: 'required', default: 'default', choices: 'choices' };
    const cols = ['name', 'type', 'required', 'default', 'choices'] as const;
    const widths = cols.map((c) => Math.max(head[c].length, ...rows.map((r) => r[c].length)));
    const line = (r: Record<(typeof cols)[number], string>): string =>
      `  ${cols.map((c, i) => r[c].padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd();
    out.push(line(head));
    for (const r of rows) {
      out.push(line(r));
      if (r.description) out.push(...wrap(r.description, 6));
    }
  }

  if (mod.examples && mod.examples.length > 0) {
    out.push('', 'Examples:');
    for (const ex of mod.examples) out.push(...ex.trimEnd().split('\n').map((l) => `  ${l}`), '');
    if (out[out.length - 1] === '') out.pop();
  }
  return `${out.join('\n')}\n`;
}

/** A schema property's type in words: "string", "list of string", "string|integer". */
function typeOf(p: PropSchema): string {
  const alternatives = p.anyOf ?? p.oneOf;
  if (alternatives) return [...new Set(alternatives.map(typeOf))].join('|');
  const types = p.type === undefined ? [] : Array.isArray(p.type) ? p.type : [p.type];
  if (types.length === 0) return p.enum ? 'choice' : 'any';
  return types
    .map((t) => {
      if (t === 'array') return p.items ? `list of ${typeOf(p.items)}` : 'list';
      if (t === 'object') return 'mapping';
      return t;
    })
    .join('|');
}

function display(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Word-wrap `text` to WIDTH columns with `indent` spaces. */
function wrap(text: string, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (cur && pad.length + cur.length + 1 + word.length > WIDTH) {
      lines.push(pad + cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) lines.push(pad + cur);
  return lines;
}
