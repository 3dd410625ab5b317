/**
 * The public API of the `when` / `changed_when` / `failed_when` / `until` language: compile
 * (parse + cache by text), evaluate, and evaluateCondition (Jinja truthiness). Turns parser and
 * evaluation failures into K3playErrors at the condition's file:line:col, with the column inside
 * the expression. A condition written as a bare template `{{ x }}` is accepted (braces stripped,
 * `deprecatedBraces` set so the caller may warn), as Ansible does.
 */
import { K3playError } from '../errors/k3play-error.js';
import type { SourceLocation } from '../errors/source-location.js';
import type { ExprNode } from './expression-ast.js';
import { evalNode } from './expression-eval.js';
import { ExpressionSyntaxError, parseExpression } from './expression-parser.js';
import { EvalFailure, defined } from './expression-values.js';
import { truthy } from './helpers.js';
import type { TemplateVars } from './render-state.js';
import { TemplateFailure, failureProblem, textPosOfOffset, type TemplateWhere } from './template-error.js';

export interface Expression {
  /** The text as written (braces included, if any). */
  readonly text: string;
  readonly where: TemplateWhere;
  /** True when the condition was written as `{{ ... }}` (accepted; Ansible warns about it). */
  readonly deprecatedBraces: boolean;
  /** @internal parsed tree; shared between Expressions with the same text. */
  readonly ast: ExprNode;
  /** @internal offset of the parsed text inside `text` (after stripped braces). */
  readonly offset: number;
}

interface Parsed {
  readonly ast: ExprNode;
  readonly offset: number;
  readonly deprecatedBraces: boolean;
}

const MAX_CACHE = 10_000;
const cache = new Map<string, Parsed>();

const BRACES = /^(\s*\{\{)(.*)\}\}\s*$/s;

function parseCached(text: string, where: TemplateWhere): Parsed {
  const hit = cache.get(text);
  if (hit) return hit;
  let body = text;
  let offset = 0;
  let deprecatedBraces = false;
  const m = BRACES.exec(text);
  if (m && !m[2]!.includes('{{') && !m[2]!.includes('}}')) {
    body = m[2]!;
    offset = m[1]!.length;
    deprecatedBraces = true;
  }
  let ast: ExprNode;
  try {
    ast = parseExpression(body);
  } catch (e) {
    if (e instanceof ExpressionSyntaxError) throw userError(text, where, offset + e.pos, `invalid expression: ${e.message}`, e.hint);
    throw e;
  }
  const parsed: Parsed = { ast, offset, deprecatedBraces };
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(text, parsed);
  return parsed;
}

function userError(text: string, where: TemplateWhere, offset: number, message: string, hint?: string): K3playError {
  const pos = textPosOfOffset(text, offset);
  const problem = failureProblem(where, new TemplateFailure(`${message} in ${JSON.stringify(text.length > 120 ? `${text.slice(0, 117)}...` : text)}`, hint, pos));
  return new K3playError(problem);
}

export function compileExpression(text: string, where: SourceLocation | TemplateWhere): Expression {
  const p = parseCached(text, where);
  return { text, where, deprecatedBraces: p.deprecatedBraces, ast: p.ast, offset: p.offset };
}

/** The value of the expression; an undefined result is an error naming the variable. */
export function evaluate(expr: Expression, vars: TemplateVars): unknown {
  try {
    return defined(evalNode(expr.ast, vars));
  } catch (e) {
    if (e instanceof EvalFailure) throw userError(expr.text, expr.where, expr.offset + e.pos, e.message, e.hint);
    throw e;
  }
}

/** Compile (cached) and evaluate with Jinja truthiness. YAML booleans are taken as they are. */
export function evaluateCondition(text: string | boolean, vars: TemplateVars, where: SourceLocation | TemplateWhere): boolean {
  if (typeof text === 'boolean') return text;
  return truthy(evaluate(compileExpression(text, where), vars));
}

/** For tests. */
export function clearExpressionCache(): void {
  cache.clear();
}

export function expressionCacheSize(): number {
  return cache.size;
}
