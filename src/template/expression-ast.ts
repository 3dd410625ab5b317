/**
 * The AST of the `when` expression language (a small, safe subset of Jinja expressions).
 * `pos` is the 0-based offset of the node in the expression text, for error columns.
 * Data only: parsing is in expression-parser.ts, evaluation in expression-eval.ts.
 */
export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'and' | 'or' | '~' | '+' | '-' | '*' | '/' | '%';

export type ExprNode =
  | { readonly kind: 'lit'; readonly value: string | number | boolean | null; readonly pos: number }
  | { readonly kind: 'var'; readonly name: string; readonly pos: number }
  | { readonly kind: 'list'; readonly items: readonly ExprNode[]; readonly pos: number }
  | { readonly kind: 'attr'; readonly object: ExprNode; readonly name: string; readonly pos: number }
  | { readonly kind: 'index'; readonly object: ExprNode; readonly index: ExprNode; readonly pos: number }
  | { readonly kind: 'not'; readonly operand: ExprNode; readonly pos: number }
  | { readonly kind: 'neg'; readonly operand: ExprNode; readonly pos: number }
  | { readonly kind: 'bin'; readonly op: BinaryOp; readonly left: ExprNode; readonly right: ExprNode; readonly pos: number }
  | { readonly kind: 'test'; readonly operand: ExprNode; readonly name: string; readonly args: readonly ExprNode[]; readonly negate: boolean; readonly pos: number }
  | { readonly kind: 'filter'; readonly operand: ExprNode; readonly name: string; readonly args: readonly ExprNode[]; readonly pos: number };

/** Readable text of a variable path (`result.stat.exists`, `groups['etcd'][0]`) for messages. */
export function pathText(n: ExprNode): string {
  switch (n.kind) {
    case 'var':
      return n.name;
    case 'attr':
      return `${pathText(n.object)}.${n.name}`;
    case 'index':
      return `${pathText(n.object)}[${n.index.kind === 'lit' ? JSON.stringify(n.index.value) : '...'}]`;
    case 'lit':
      return JSON.stringify(n.value);
    default:
      return '(...)';
  }
}
