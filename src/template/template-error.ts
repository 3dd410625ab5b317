/**
 * How template and expression failures become user Problems. Rendering code throws the internal
 * `TemplateFailure` (message, hint, position inside the template text); the public entry points
 * turn it into a K3playError whose loc is the template's own position in the YAML file (the
 * `where` the caller gave) moved by the offset inside the template. Nothing here renders.
 */
import { K3playError, type Problem } from '../errors/k3play-error.js';
import type { SourceLocation } from '../errors/source-location.js';

/** Where a template string sits: its file:line:col plus what it belongs to (Problem.context). */
export interface TemplateWhere extends SourceLocation {
  /** e.g. `task "write config" (copy) args.content`. */
  readonly what?: string;
}

/** Position inside the template text: line 1-based, column 0-based (handlebars' convention). */
export interface TextPos {
  readonly line: number;
  readonly column: number;
}

export class TemplateFailure extends Error {
  readonly hint: string | undefined;
  readonly pos: TextPos | undefined;
  constructor(message: string, hint?: string, pos?: TextPos) {
    super(message);
    this.name = 'TemplateFailure';
    this.hint = hint;
    this.pos = pos;
  }
}

export function textPosOfOffset(text: string, offset: number): TextPos {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart };
}

/**
 * The file position of `pos` inside a template that starts at `where`. On the template's first
 * line the column is exact for plain and quoted scalars without escapes (quotes shift it by one;
 * we accept that). On later lines the YAML indentation is unknown, so only the line is given.
 */
export function locate(where: SourceLocation, pos: TextPos | undefined): SourceLocation {
  const base: SourceLocation = { file: where.file, line: where.line, col: where.col };
  if (!pos || where.line <= 0) return base;
  if (pos.line <= 1) return where.col > 0 ? { ...base, col: where.col + pos.column } : base;
  return { file: where.file, line: where.line + pos.line - 1, col: 0 };
}

export function describePos(pos: TextPos | undefined): string {
  if (!pos) return '';
  return ` (template line ${pos.line}, column ${pos.column + 1})`;
}

export function failureProblem(where: TemplateWhere, f: TemplateFailure): Problem {
  return {
    loc: locate(where, f.pos),
    ...(where.what !== undefined ? { context: where.what } : {}),
    message: `${f.message}${describePos(f.pos)}`,
    ...(f.hint !== undefined ? { hint: f.hint } : {}),
  };
}

export function failureError(where: TemplateWhere, f: TemplateFailure): K3playError {
  return new K3playError(failureProblem(where, f));
}

/** The hint every "undefined variable" error ends with. */
export const DEFINE_HINT = 'define it in group_vars/, host_vars/, play vars or with -e';

export function undefinedHint(suggestion: string | undefined, extra?: string): string {
  return [suggestion, extra, DEFINE_HINT].filter((s) => s !== undefined && s !== '').join('; ');
}
