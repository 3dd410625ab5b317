/**
 * The one place errors become text. Format (stable, snapshot-tested):
 *
 *     playbooks/site.yml:23:9  task "enable ip_forward" (sysctl)
 *       args.value: must be string (got number 1)
 *       hint: quote it in YAML: value: "1"
 *
 * User errors never show a stack trace; internal errors do (and say they are a bug).
 */
import { isK3playError, type Problem } from './k3play-error.js';
import { formatLocation } from './source-location.js';

export function formatProblem(p: Problem): string {
  const head = [p.loc ? formatLocation(p.loc) : '', p.context ?? ''].filter((s) => s !== '').join('  ');
  const lines: string[] = [];
  if (head !== '') {
    lines.push(head);
    lines.push(`  ${p.message}`);
    if (p.hint) lines.push(`  hint: ${p.hint}`);
  } else {
    lines.push(p.message);
    if (p.hint) lines.push(`  hint: ${p.hint}`);
  }
  return lines.join('\n');
}

export function formatProblems(problems: readonly Problem[]): string {
  const body = problems.map(formatProblem).join('\n\n');
  const n = problems.length;
  return `${body}\n\n${n} problem${n === 1 ? '' : 's'} found`;
}

/** Renders any thrown value for stderr. `verbose >= 3` adds stacks to user errors too. */
export function formatError(e: unknown, verbose = 0): string {
  if (isK3playError(e)) {
    const text = e.problems.length === 1 ? formatProblem(e.problems[0]!) : formatProblems(e.problems);
    return verbose >= 3 && e.stack ? `${text}\n\n${e.stack}` : text;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  return `internal error (this is a bug in k3play, please report it): ${err.message}\n${err.stack ?? ''}`;
}
