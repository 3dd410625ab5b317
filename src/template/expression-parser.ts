/**
 * Tokenizer and Pratt-style parser for `when` / `changed_when` / `failed_when` / `until`.
 * Hand-written rather than jsep because Jinja's precedence differs from JavaScript's where it
 * matters (`not x is defined` is `not (x is defined)`), and `is [not] test(args)`, `not in` and
 * `| filter(args)` are not JavaScript operators. Precedence, lowest first:
 *   or < and < not < comparisons (== != < <= > >= in, not in) < ~ < + - < * / % < unary -
 *   < postfix (.name, [index], | filter(args), is [not] test(args))
 * The parser rejects function calls, forbidden names, unknown tests/filters, input longer than
 * MAX_EXPRESSION_LENGTH and nesting deeper than MAX_EXPRESSION_DEPTH. It never evaluates.
 */
import { didYouMean } from '../errors/did-you-mean.js';
import type { BinaryOp, ExprNode } from './expression-ast.js';
import { FILTERS, TESTS } from './expression-functions.js';
import { isForbiddenName } from './safe-access.js';

export const MAX_EXPRESSION_LENGTH = 4096;
export const MAX_EXPRESSION_DEPTH = 64;

/** A parse error at `pos` (0-based offset); expression.ts turns it into a Problem. */
export class ExpressionSyntaxError extends Error {
  readonly pos: number;
  readonly hint: string | undefined;
  constructor(message: string, pos: number, hint?: string) {
    super(message);
    this.name = 'ExpressionSyntaxError';
    this.pos = pos;
    this.hint = hint;
  }
}

type Token =
  | { readonly t: 'num'; readonly value: number; readonly pos: number; readonly text: string }
  | { readonly t: 'str'; readonly value: string; readonly pos: number; readonly text: string }
  | { readonly t: 'name'; readonly value: string; readonly pos: number; readonly text: string }
  | { readonly t: 'op'; readonly value: string; readonly pos: number; readonly text: string }
  | { readonly t: 'eof'; readonly value: ''; readonly pos: number; readonly text: string };

const OPERATORS = ['==', '!=', '<=', '>=', '<', '>', '(', ')', '[', ']', '.', ',', '|', '~', '+', '-', '*', '/', '%'];
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is']);
const LITERALS: ReadonlyMap<string, boolean | null> = new Map<string, boolean | null>([
  ['true', true],
  ['True', true],
  ['false', false],
  ['False', false],
  ['none', null],
  ['None', null],
  ['null', null],
]);

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c)) {
      // After `.` only an integer (x.0.1 is x[0][1], not x[0.1]).
      const afterDot = out.length > 0 && out[out.length - 1]!.t === 'op' && out[out.length - 1]!.value === '.';
      const m = (afterDot ? /^\d+/ : /^\d+(\.\d+)?([eE][+-]?\d+)?/).exec(src.slice(i))!;
      i += m[0].length;
      out.push({ t: 'num', value: Number(m[0]), pos: start, text: m[0] });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      i += m[0].length;
      out.push({ t: 'name', value: m[0], pos: start, text: m[0] });
      continue;
    }
    if (c === '"' || c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new ExpressionSyntaxError('unterminated string', start, `close it with ${c}`);
        const ch = src[i]!;
        if (ch === c) {
          i++;
          break;
        }
        if (ch === '\\' && i + 1 < src.length) {
          const n = src[i + 1]!;
          const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };
          // Unknown escapes stay as written, as in Python (so "\d+" is a regex digit class).
          value += esc[n] ?? `\\${n}`;
          i += 2;
          continue;
        }
        value += ch;
        i++;
      }
      out.push({ t: 'str', value, pos: start, text: src.slice(start, i) });
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) {
      const hint = c === '{' || c === '}' ? 'conditions are bare expressions: write `x == 1`, not `{{ x == 1 }}`' : c === '=' ? 'compare with ==' : c === '&' || c === '!' ? 'use `and`, `or`, `not`' : undefined;
      throw new ExpressionSyntaxError(`unexpected character ${JSON.stringify(c)}`, start, hint);
    }
    i += op.length;
    out.push({ t: 'op', value: op, pos: start, text: op });
  }
  out.push({ t: 'eof', value: '', pos: src.length, text: 'end of expression' });
  return out;
}

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(k = 0): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }
  private isOp(v: string, k = 0): boolean {
    const t = this.peek(k);
    return t.t === 'op' && t.value === v;
  }
  private isWord(v: string, k = 0): boolean {
    const t = this.peek(k);
    return t.t === 'name' && t.value === v;
  }
  private expectOp(v: string, opening?: Token): void {
    if (this.isOp(v)) {
      this.next();
      return;
    }
    const t = this.peek();
    throw new ExpressionSyntaxError(`expected "${v}" but found ${describe(t)}`, t.pos, opening ? `to close the "${opening.value}" at column ${opening.pos + 1}` : undefined);
  }
  private enter(pos: number): void {
    if (++this.depth > MAX_EXPRESSION_DEPTH) {
      throw new ExpressionSyntaxError(`expression nested too deeply (more than ${MAX_EXPRESSION_DEPTH} levels)`, pos, 'split it into several conditions or set_fact steps');
    }
  }
  private leave(): void {
    this.depth--;
  }

  parseAll(): ExprNode {
    const node = this.parseOr();
    const t = this.peek();
    if (t.t !== 'eof') {
      const hint = t.t === 'name' || t.t === 'str' || t.t === 'num' ? 'an operator is missing (and, or, ==, in, is ...)' : undefined;
      throw new ExpressionSyntaxError(`unexpected ${describe(t)}`, t.pos, hint);
    }
    return node;
  }

  private parseOr(): ExprNode {
    this.enter(this.peek().pos);
    let left = this.parseAnd();
    while (this.isWord('or')) {
      const op = this.next();
      left = { kind: 'bin', op: 'or', left, right: this.parseAnd(), pos: op.pos };
    }
    this.leave();
    return left;
  }

  private parseAnd(): ExprNode {
    let left = this.parseNot();
    while (this.isWord('and')) {
      const op = this.next();
      left = { kind: 'bin', op: 'and', left, right: this.parseNot(), pos: op.pos };
    }
    return left;
  }

  private parseNot(): ExprNode {
    if (this.isWord('not')) {
      const op = this.next();
      this.enter(op.pos);
      const operand = this.parseNot();
      this.leave();
      return { kind: 'not', operand, pos: op.pos };
    }
    return this.parseCompare();
  }

  private compareOp(): { op: BinaryOp; len: number } | null {
    const t = this.peek();
    if (t.t === 'op' && COMPARISONS.has(t.value)) return { op: t.value as BinaryOp, len: 1 };
    if (this.isWord('in')) return { op: 'in', len: 1 };
    if (this.isWord('not') && this.isWord('in', 1)) return { op: 'not in', len: 2 };
    return null;
  }

  private parseCompare(): ExprNode {
    const left = this.parseConcat();
    const found = this.compareOp();
    if (!found) return left;
    const opTok = this.peek();
    for (let k = 0; k < found.len; k++) this.next();
    const node: ExprNode = { kind: 'bin', op: found.op, left, right: this.parseConcat(), pos: opTok.pos };
    if (this.compareOp()) {
      throw new ExpressionSyntaxError('chained comparisons are not supported', this.peek().pos, 'combine them with `and`: a < b and b < c');
    }
    return node;
  }

  private parseConcat(): ExprNode {
    let left = this.parseAdd();
    while (this.isOp('~')) {
      const op = this.next();
      left = { kind: 'bin', op: '~', left, right: this.parseAdd(), pos: op.pos };
    }
    return left;
  }

  private parseAdd(): ExprNode {
    let left = this.parseMul();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next();
      left = { kind: 'bin', op: op.value as BinaryOp, left, right: this.parseMul(), pos: op.pos };
    }
    return left;
  }

  private parseMul(): ExprNode {
    let left = this.parseUnary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = this.next();
      left = { kind: 'bin', op: op.value as BinaryOp, left, right: this.parseUnary(), pos: op.pos };
    }
    return left;
  }

  private parseUnary(): ExprNode {
    if (this.isOp('-')) {
      const op = this.next();
      this.enter(op.pos);
      const operand = this.parseUnary();
      this.leave();
      return { kind: 'neg', operand, pos: op.pos };
    }
    return this.parsePostfix();
  }

  private parsePostfix(): ExprNode {
    let node = this.parsePrimary();
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const t = this.next();
        if (t.t === 'num') {
          node = { kind: 'index', object: node, index: { kind: 'lit', value: t.value, pos: t.pos }, pos: t.pos };
          continue;
        }
        if (t.t !== 'name') throw new ExpressionSyntaxError(`expected an attribute name after "." but found ${describe(t)}`, t.pos);
        checkName(t.value, t.pos);
        node = { kind: 'attr', object: node, name: t.value, pos: t.pos };
      } else if (this.isOp('[')) {
        const open = this.next();
        this.enter(open.pos);
        const index = this.parseOr();
        this.leave();
        this.expectOp(']', open);
        if (index.kind === 'lit' && typeof index.value === 'string') checkName(index.value, index.pos);
        node = { kind: 'index', object: node, index, pos: open.pos };
      } else if (this.isOp('|')) {
        this.next();
        const t = this.next();
        if (t.t !== 'name') throw new ExpressionSyntaxError(`expected a filter name after "|" but found ${describe(t)}`, t.pos);
        const spec = FILTERS[t.value];
        if (!spec || !Object.prototype.hasOwnProperty.call(FILTERS, t.value)) {
          throw new ExpressionSyntaxError(`unknown filter "${t.value}"`, t.pos, hintList(t.value, Object.keys(FILTERS), 'filters'));
        }
        const args = this.parseArgs(t, spec.minArgs, spec.maxArgs);
        node = { kind: 'filter', operand: node, name: t.value, args, pos: t.pos };
      } else if (this.isWord('is')) {
        const isTok = this.next();
        let negate = false;
        if (this.isWord('not')) {
          this.next();
          negate = true;
        }
        const t = this.next();
        if (t.t !== 'name') throw new ExpressionSyntaxError(`expected a test name after "is" but found ${describe(t)}`, t.pos, 'e.g. x is defined, result is changed');
        const spec = TESTS[t.value];
        if (!spec || !Object.prototype.hasOwnProperty.call(TESTS, t.value)) {
          throw new ExpressionSyntaxError(`unknown test "${t.value}"`, t.pos, hintList(t.value, Object.keys(TESTS), 'tests'));
        }
        const args = this.parseArgs(t, spec.minArgs, spec.maxArgs);
        node = { kind: 'test', operand: node, name: t.value, args, negate, pos: isTok.pos };
      } else if (this.isOp('(')) {
        throw new ExpressionSyntaxError('function calls are not allowed', this.peek().pos, 'only tests (`x is match("re")`) and filters (`x | default(1)`) take arguments');
      } else {
        return node;
      }
    }
  }

  private parseArgs(nameTok: Token, min: number, max: number): ExprNode[] {
    const args: ExprNode[] = [];
    if (this.isOp('(')) {
      const open = this.next();
      this.enter(open.pos);
      if (!this.isOp(')')) {
        args.push(this.parseOr());
        while (this.isOp(',')) {
          this.next();
          args.push(this.parseOr());
        }
      }
      this.leave();
      this.expectOp(')', open);
    }
    if (args.length < min || args.length > max) {
      const want = min === max ? `${min}` : `${min} to ${max}`;
      throw new ExpressionSyntaxError(`"${nameTok.value}" takes ${want} argument${max === 1 ? '' : 's'}, got ${args.length}`, nameTok.pos);
    }
    return args;
  }

  private parsePrimary(): ExprNode {
    const t = this.next();
    switch (t.t) {
      case 'num':
        return { kind: 'lit', value: t.value, pos: t.pos };
      case 'str':
        return { kind: 'lit', value: t.value, pos: t.pos };
      case 'name': {
        if (LITERALS.has(t.value)) return { kind: 'lit', value: LITERALS.get(t.value)!, pos: t.pos };
        if (KEYWORDS.has(t.value)) throw new ExpressionSyntaxError(`unexpected keyword "${t.value}"`, t.pos, 'a value is missing before or after it');
        checkName(t.value, t.pos);
        return { kind: 'var', name: t.value, pos: t.pos };
      }
      case 'op':
        if (t.value === '(') {
          this.enter(t.pos);
          const inner = this.parseOr();
          this.leave();
          this.expectOp(')', t);
          return inner;
        }
        if (t.value === '[') {
          this.enter(t.pos);
          const items: ExprNode[] = [];
          if (!this.isOp(']')) {
            items.push(this.parseOr());
            while (this.isOp(',')) {
              this.next();
              if (this.isOp(']')) break;
              items.push(this.parseOr());
            }
          }
          this.leave();
          this.expectOp(']', t);
          return { kind: 'list', items, pos: t.pos };
        }
        throw new ExpressionSyntaxError(`unexpected "${t.value}"`, t.pos, t.value === ')' ? 'there is no "(" to close' : 'a value is missing here');
      case 'eof':
        throw new ExpressionSyntaxError('unexpected end of expression', t.pos, 'a value is missing at the end');
    }
  }
}

function checkName(name: string, pos: number): void {
  if (isForbiddenName(name)) {
    throw new ExpressionSyntaxError(`"${name}" is not allowed in expressions`, pos, 'expressions read data only; prototype and constructor access is blocked');
  }
}

function describe(t: Token): string {
  if (t.t === 'eof') return 'the end of the expression';
  return `"${t.text}"`;
}

function hintList(name: string, all: string[], what: string): string {
  return [didYouMean(name, all), `${what}: ${all.join(', ')}`].filter((s) => s !== '').join('; ');
}

export function parseExpression(text: string): ExprNode {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionSyntaxError(`expression too long (${text.length} characters, at most ${MAX_EXPRESSION_LENGTH})`, 0, 'compute the value in a set_fact task or split the condition into a list');
  }
  if (text.trim() === '') throw new ExpressionSyntaxError('empty expression', 0, 'write a condition such as `x is defined`');
  return new Parser(tokenize(text)).parseAll();
}
