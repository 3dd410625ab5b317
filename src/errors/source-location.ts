/**
 * Where a value or a problem came from. Every user-visible error points at one of these,
 * so an operator can jump straight to the offending line.
 */
export interface SourceLocation {
  /** Path as the user gave it (relative to cwd where possible). */
  readonly file: string;
  /** 1-based; 0 when only the file is known. */
  readonly line: number;
  /** 1-based; 0 when only the line is known. */
  readonly col: number;
}

export function formatLocation(loc: SourceLocation): string {
  if (loc.line <= 0) return loc.file;
  if (loc.col <= 0) return `${loc.file}:${loc.line}`;
  return `${loc.file}:${loc.line}:${loc.col}`;
}

export function fileOnly(file: string): SourceLocation {
  return { file, line: 0, col: 0 };
}
