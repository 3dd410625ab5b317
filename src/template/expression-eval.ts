/**
 * Evaluates a parsed `when` expression against variables. Our own tree walk, no eval/Function:
 * variables and properties are read through safe-access.ts (own properties of plain data only),
 * and the only callable things are the fixed tests and filters of expression-functions.ts.
 * An undefined variable is an Undef value until used; using it (comparison, truthiness, any
 * test or filter except defined/undefined/default) is an EvalFailure naming it.
 */
import { isSecret } from '../module-api/secret.js';
import { didYouMean } from '../errors/did-you-mean.js';
import { pathText, type ExprNode } from './expression-ast.js';
import { FILTERS, TESTS } from './expression-functions.js';
import { EvalFailure, Undef, compare, defined, equals } from './expression-values.js';
import { textOf, truthy } from './helpers.js';
import type { TemplateVars } from './render-state.js';
import { isForbiddenName, ownKeys, ownProperty, typeName } from './safe-access.js';

/** Evaluate and return the value; may be an Undef (callers decide whether that is an error). */
export function evalNode(n: ExprNode, vars: TemplateVars): unknown {
  switch (n.kind) {
    case 'lit':
      return n.value;
    case 'var': {
      const v = ownProperty(vars, n.name);
      return v === undefined ? new Undef(n.name, n.pos, didYouMean(n.name, Object.keys(vars)) ?? '') : v;
    }
    case 'list':
      return n.items.map((i) => defined(evalNode(i, vars)));
    case 'attr':
      return member(n, evalNode(n.object, vars), n.name);
    case 'index': {
      const key = defined(evalNode(n.index, vars));
      if (typeof key !== 'string' && typeof key !== 'number') throw new EvalFailure(`index must be a string or number, got ${typeName(key)}`, n.index.pos);
      if (isForbiddenName(String(key))) throw new EvalFailure(`"${String(key)}" is not allowed in expressions`, n.index.pos);
      return member(n, evalNode(n.object, vars), key);
    }
    case 'not':
      return !truthy(defined(evalNode(n.operand, vars)));
    case 'neg': {
      const v = defined(evalNode(n.operand, vars));
      if (typeof v !== 'number') throw new EvalFailure(`cannot negate ${typeName(v)}`, n.pos);
      return -v;
    }
    case 'bin':
      return binary(n, vars);
    case 'test': {
      const spec = TESTS[n.name]!;
      const raw = evalNode(n.operand, vars);
      const operand = spec.acceptsUndefined ? raw : defined(raw);
      const args = n.args.map((a) => defined(evalNode(a, vars)));
      const r = truthy(spec.fn(operand, args, n.pos));
      return n.negate ? !r : r;
    }
    case 'filter': {
      const spec = FILTERS[n.name]!;
      const raw = evalNode(n.operand, vars);
      const operand = spec.acceptsUndefined ? raw : defined(raw);
      const args = n.args.map((a) => defined(evalNode(a, vars)));
      return spec.fn(operand, args, n.pos);
    }
  }
}

function member(n: ExprNode & { object: ExprNode }, parent: unknown, key: string | number): unknown {
  const path = pathText(n);
  if (parent instanceof Undef) return new Undef(path, parent.pos, parent.detail);
  const v = ownProperty(parent, key);
  if (v !== undefined) return v;
  let detail: string;
  if (Array.isArray(parent)) detail = `${pathText(n.object)} is a list of ${parent.length} item${parent.length === 1 ? '' : 's'}`;
  else if (parent !== null && typeof parent === 'object' && !isSecret(parent)) detail = didYouMean(String(key), ownKeys(parent)) || `${pathText(n.object)} has no key "${String(key)}"`;
  else detail = `${pathText(n.object)} is ${typeName(parent)}`;
  return new Undef(path, n.pos, detail);
}

function binary(n: Extract<ExprNode, { kind: 'bin' }>, vars: TemplateVars): unknown {
  if (n.op === 'and') {
    const l = defined(evalNode(n.left, vars));
    return truthy(l) ? defined(evalNode(n.right, vars)) : l;
  }
  if (n.op === 'or') {
    const l = defined(evalNode(n.left, vars));
    return truthy(l) ? l : defined(evalNode(n.right, vars));
  }
  const l = defined(evalNode(n.left, vars));
  const r = defined(evalNode(n.right, vars));
  switch (n.op) {
    case '==':
      return equals(l, r);
    case '!=':
      return !equals(l, r);
    case '<':
      return compare(l, r, n.pos) < 0;
    case '<=':
      return compare(l, r, n.pos) <= 0;
    case '>':
      return compare(l, r, n.pos) > 0;
    case '>=':
      return compare(l, r, n.pos) >= 0;
    case 'in':
      return contains(r, l, n.pos);
    case 'not in':
      return !contains(r, l, n.pos);
    case '~':
      return textOf(isSecret(l) ? l.reveal() : l) + textOf(isSecret(r) ? r.reveal() : r);
    case '+':
      if (typeof l === 'number' && typeof r === 'number') return l + r;
      if (typeof l === 'string' && typeof r === 'string') return l + r;
      if (Array.isArray(l) && Array.isArray(r)) return [...l, ...r];
      throw new EvalFailure(`cannot add ${typeName(l)} and ${typeName(r)}`, n.pos, typeof l === 'string' || typeof r === 'string' ? 'join text with ~' : undefined);
    default:
      return arithmetic(n.op, l, r, n.pos);
  }
}

function arithmetic(op: string, l: unknown, r: unknown, pos: number): number {
  if (typeof l !== 'number' || typeof r !== 'number') {
    throw new EvalFailure(`"${op}" needs numbers, got ${typeName(l)} and ${typeName(r)}`, pos, 'convert with `| int` or `| float`');
  }
  if ((op === '/' || op === '%') && r === 0) throw new EvalFailure('division by zero', pos);
  if (op === '-') return l - r;
  if (op === '*') return l * r;
  if (op === '/') return l / r;
  return ((l % r) + r) % r; // Python's modulo sign
}

function contains(container: unknown, item: unknown, pos: number): boolean {
  if (Array.isArray(container)) return container.some((x) => equals(x, item));
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new EvalFailure(`"in" a string needs a string on the left, got ${typeName(item)}`, pos);
    return container.includes(item);
  }
  if (container !== null && typeof container === 'object' && !isSecret(container)) {
    return (typeof item === 'string' || typeof item === 'number') && Object.prototype.hasOwnProperty.call(container, String(item)) && !isForbiddenName(String(item));
  }
  throw new EvalFailure(`"in" needs a list, string or mapping on the right, got ${typeName(container)}`, pos);
}
