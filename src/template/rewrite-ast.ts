/**
 * Parses a template with handlebars and rewrites its AST before compilation; this is where
 * k3play's template rules are enforced:
 *  - every variable reference `x.y.z` becomes `(__k3_get "x.y.z" x "y" "z")`: a strict lookup
 *    that walks own properties only and names the missing piece (the first argument of `default`
 *    uses the lenient `__k3_opt`), so undefined variables fail with a clear message everywhere,
 *    including helper arguments and `{{#if}}`, which handlebars' own strict mode does not check;
 *  - every `{{ expr }}` becomes `{{__k3_out expr}}` (text conversion, Secret reveal + taint), or
 *    `{{__k3_capture expr}}` when the whole template is that one expression (typed result);
 *  - `constructor`, `__proto__`, `prototype` are rejected; partials and decorators are rejected;
 *    block statements must use each/if/unless/with; unknown helpers are rejected.
 * It does not compile or run templates (render.ts does).
 */
import Handlebars from 'handlebars';
import { didYouMean } from '../errors/did-you-mean.js';
import { BUILTIN_BLOCK_HELPERS, HELPERS, PUBLIC_HELPER_NAMES } from './helpers.js';
import { isForbiddenName } from './safe-access.js';
import { TemplateFailure, type TextPos } from './template-error.js';

type Program = hbs.AST.Program;
type Statement = hbs.AST.Statement;
type Expression = hbs.AST.Expression;
type PathExpression = hbs.AST.PathExpression;
type SubExpression = hbs.AST.SubExpression;
type Hash = hbs.AST.Hash;
type Loc = hbs.AST.SourceLocation;

export interface PreparedTemplate {
  readonly program: Program;
  /** The template is exactly one `{{ expr }}`: rendering returns the value, typed. */
  readonly single: boolean;
}

const HELPER_NAMES: ReadonlySet<string> = new Set(Object.keys(HELPERS));

function startOf(loc: Loc | undefined): TextPos | undefined {
  return loc ? { line: loc.start.line, column: loc.start.column } : undefined;
}

function failAt(loc: Loc | undefined, message: string, hint?: string): never {
  throw new TemplateFailure(message, hint, startOf(loc));
}

export function parseTemplate(text: string): Program {
  try {
    return Handlebars.parse(text);
  } catch (e) {
    throw parseFailure(e);
  }
}

/** Handlebars parse errors carry the position only in the message ("Parse error on line N" + caret). */
function parseFailure(e: unknown): TemplateFailure {
  const err = e as { message?: string; lineNumber?: number; column?: number };
  const msg = String(err.message ?? e);
  if (typeof err.lineNumber === 'number') {
    return new TemplateFailure(`template syntax error: ${msg.split('\n')[0]!.replace(/ - \d+:\d+$/, '')}`, syntaxHint, {
      line: err.lineNumber,
      column: err.column ?? 0,
    });
  }
  const m = /^Parse error on line (\d+):\n.*\n(-*)\^\n(.*)$/s.exec(msg);
  if (m) {
    const expecting = m[3]!.split('\n')[0]!;
    const got = /got '([^']+)'/.exec(expecting)?.[1];
    return new TemplateFailure(`template syntax error${got ? `: unexpected ${got}` : ''}`, syntaxHint, {
      line: Number(m[1]),
      column: m[2]!.length,
    });
  }
  return new TemplateFailure(`template syntax error: ${msg.split('\n')[0]}`, syntaxHint);
}

const syntaxHint =
  'k3play templates are handlebars, not Jinja: {{ var }}, {{default x "d"}}, {{#each (group "g")}}...{{/each}}, {{#if (eq a b)}}...{{/if}}; write \\{{ for a literal {{';

export function prepareTemplate(text: string): PreparedTemplate {
  const program = parseTemplate(text);
  const only = program.body.length === 1 ? program.body[0] : undefined;
  const single = only !== undefined && only.type === 'MustacheStatement';
  rewriteProgram(program, single);
  return { program, single };
}

function rewriteProgram(p: Program, single: boolean): void {
  p.body = p.body.map((s) => rewriteStatement(s, single));
}

function rewriteStatement(s: Statement, single: boolean): Statement {
  switch (s.type) {
    case 'ContentStatement':
    case 'CommentStatement':
      return s;
    case 'MustacheStatement':
      return rewriteMustache(s as hbs.AST.MustacheStatement, single);
    case 'BlockStatement':
      return rewriteBlock(s as hbs.AST.BlockStatement);
    case 'PartialStatement':
    case 'PartialBlockStatement':
      return failAt(s.loc, 'partials ({{> name}}) are not supported', 'use the template module for whole files');
    default:
      return failAt(s.loc, `unsupported template construct (${s.type})`, 'decorators ({{* x}}) and raw blocks are not supported');
  }
}

function rewriteMustache(m: hbs.AST.MustacheStatement, single: boolean): Statement {
  const inner = mustacheExpression(m);
  const wrapper = helperPath(single ? '__k3_capture' : '__k3_out', m.loc);
  return { ...m, path: wrapper, params: [inner], hash: emptyHash(m.loc) } as hbs.AST.MustacheStatement;
}

/** The value a `{{ ... }}` stands for, as an expression usable as a helper argument. */
function mustacheExpression(m: hbs.AST.MustacheStatement): Expression {
  const path = m.path;
  if (path.type !== 'PathExpression') return path; // {{"text"}}, {{1}}, {{true}}
  const p = path as PathExpression;
  const hasArgs = m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0;
  const isHelperName = p.parts.length === 1 && !p.data && p.depth === 0 && !/^(\.|this\b)/.test(p.original);
  if (hasArgs || (isHelperName && HELPER_NAMES.has(p.parts[0]!))) {
    return rewriteCall({ type: 'SubExpression', path: p, params: m.params, hash: m.hash, loc: m.loc } as SubExpression);
  }
  return rewritePath(p, true);
}

function rewriteBlock(b: hbs.AST.BlockStatement): Statement {
  const name = b.path.type === 'PathExpression' ? b.path.original : '';
  if (!BUILTIN_BLOCK_HELPERS.has(name)) {
    failAt(b.loc, `unknown block helper "{{#${name}}}"`, `block helpers are ${[...BUILTIN_BLOCK_HELPERS].map((h) => `#${h}`).join(', ')}`);
  }
  b.params = rewriteParams(name, b.params);
  b.hash = rewriteHash(b.hash);
  if (b.program) rewriteProgram(b.program, false);
  if (b.inverse) rewriteProgram(b.inverse, false);
  return b;
}

function rewriteCall(sub: SubExpression): SubExpression {
  const p = sub.path;
  if (p.type !== 'PathExpression' || p.parts.length !== 1 || p.data || p.depth !== 0) {
    failAt(sub.loc, `"${String((p as PathExpression).original)}" cannot be called: only helpers take arguments`, helperHint(''));
  }
  const name = p.parts[0]!;
  if (!HELPER_NAMES.has(name) || name.startsWith('__k3_')) {
    if (BUILTIN_BLOCK_HELPERS.has(name)) failAt(sub.loc, `"${name}" is a block helper`, `write {{#${name} ...}}...{{/${name}}}`);
    failAt(sub.loc, `unknown helper "${name}"`, helperHint(name));
  }
  return { ...sub, params: rewriteParams(name, sub.params), hash: rewriteHash(sub.hash) };
}

function helperHint(name: string): string {
  const dym = (name ? didYouMean(name, PUBLIC_HELPER_NAMES) : undefined) ?? '';
  return [dym, `helpers: ${PUBLIC_HELPER_NAMES.join(', ')}`].filter((s) => s !== '').join('; ');
}

function rewriteParams(helper: string, params: Expression[]): Expression[] {
  return params.map((e, i) => rewriteExpression(e, !(helper === 'default' && i === 0)));
}

function rewriteHash(h: Hash): Hash {
  if (!h) return h;
  return { ...h, pairs: h.pairs.map((pair) => ({ ...pair, value: rewriteExpression(pair.value, true) })) };
}

function rewriteExpression(e: Expression, strict: boolean): Expression {
  if (e.type === 'PathExpression') return rewritePath(e as PathExpression, strict);
  if (e.type === 'SubExpression') return rewriteCall(e as SubExpression);
  return e;
}

/** `x.y.z` -> `(__k3_get "x.y.z" x "y" "z")`; `this`, `.`, `..` stay as they are. */
function rewritePath(p: PathExpression, strict: boolean): Expression {
  for (const part of p.parts) {
    if (isForbiddenName(part)) failAt(p.loc, `"${part}" is not allowed in templates`, 'templates read data only; prototype and constructor access is blocked');
  }
  if (p.parts.length === 0) return p;
  const head: PathExpression = {
    type: 'PathExpression',
    data: p.data,
    depth: p.depth,
    parts: [p.parts[0]!],
    original: `${p.data ? '@' : ''}${'../'.repeat(p.depth)}${/^(\.\/|this\b)/.test(p.original) ? 'this.' : ''}${p.parts[0]!}`,
    loc: p.loc,
  };
  const tail = p.parts.slice(1).map((s) => stringLiteral(s, p.loc));
  return {
    type: 'SubExpression',
    path: helperPath(strict ? '__k3_get' : '__k3_opt', p.loc),
    params: [stringLiteral(p.original, p.loc), head, ...tail],
    hash: emptyHash(p.loc),
    loc: p.loc,
  } as SubExpression;
}

function helperPath(name: string, loc: Loc): PathExpression {
  return { type: 'PathExpression', data: false, depth: 0, parts: [name], original: name, loc };
}

function stringLiteral(value: string, loc: Loc): hbs.AST.StringLiteral {
  return { type: 'StringLiteral', value, original: value, loc };
}

function emptyHash(loc: Loc): Hash {
  return { type: 'Hash', pairs: [], loc };
}
