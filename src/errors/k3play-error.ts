/**
 * The one error type for problems the user can fix (bad input, unreachable host, failed task).
 * It carries every problem found, not just the first: validation collects, then throws once.
 * Anything that is not a K3playError is an internal bug and is printed with a stack trace.
 */
import type { SourceLocation } from './source-location.js';

export interface Problem {
  /** file:line:col of the offending text, when it comes from a file. */
  readonly loc?: SourceLocation;
  /** What the problem belongs to, e.g. `task "enable ip_forward" (sysctl)` or `host h1`. */
  readonly context?: string;
  /** What is wrong, one line, no trailing period needed. */
  readonly message: string;
  /** What to do about it. */
  readonly hint?: string;
}

/** Exit codes, as documented in the README (ansible-playbook's conventions). */
export const ExitCode = {
  ok: 0,
  /** internal error (a bug in k3play) */
  internal: 1,
  hostFailed: 2,
  unreachable: 3,
  invalidInput: 4,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class K3playError extends Error {
  readonly problems: readonly Problem[];
  readonly exitCode: ExitCodeValue;

  constructor(problems: readonly Problem[] | Problem, exitCode: ExitCodeValue = ExitCode.invalidInput) {
    const list = Array.isArray(problems) ? problems : [problems as Problem];
    super(list.map((p) => p.message).join('; '));
    this.name = 'K3playError';
    this.problems = list;
    this.exitCode = exitCode;
  }
}

/**
 * Collects problems during a validation pass so ALL of them are reported at once.
 * `throwIfAny` ends the pass.
 */
export class ProblemList {
  readonly items: Problem[] = [];
  add(p: Problem): void {
    this.items.push(p);
  }
  addAll(ps: readonly Problem[]): void {
    for (const p of ps) this.items.push(p);
  }
  get size(): number {
    return this.items.length;
  }
  throwIfAny(exitCode: ExitCodeValue = ExitCode.invalidInput): void {
    if (this.items.length > 0) throw new K3playError([...this.items], exitCode);
  }
}

export function isK3playError(e: unknown): e is K3playError {
  return e instanceof K3playError;
}
