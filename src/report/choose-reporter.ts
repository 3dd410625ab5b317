/**
 * Which reporters a run gets, and whether to color. The CLI passes what it knows (flags, whether
 * stdout is a TTY, whether we run in CI, the environment); nothing here reads process state, so
 * the choice is testable. `--json` gives JSON only (stdout stays machine-readable); an
 * interactive terminal outside CI gets the live listr2 view; everything else the plain lines.
 * listr2 (and its dependencies, ~4 ms of a start) is loaded only for the live view.
 */
import { JsonReporter } from './json-reporter.js';
import { PlainReporter } from './plain-reporter.js';
import type { Reporter } from './run-event.js';

export interface ChooseReportersOptions {
  json: boolean;
  /** JSON as one document at the end instead of JSON Lines. */
  jsonDocument?: boolean;
  tty: boolean;
  ci: boolean;
  color: boolean;
  verbose: number;
  diff: boolean;
  out: NodeJS.WriteStream;
  err: NodeJS.WriteStream;
}

/** Which kind of output: JSON, the live view, or plain lines (`k3play rollout` picks its own reporters by it). */
export function reporterKind(opts: Pick<ChooseReportersOptions, 'json' | 'tty' | 'ci' | 'out'>): 'json' | 'live' | 'plain' {
  if (opts.json) return 'json';
  // A pty without a size (columns 0) cannot host a live view: listr2 would wrap every character.
  const sized = opts.out.columns === undefined || opts.out.columns > 0;
  return opts.tty && !opts.ci && sized ? 'live' : 'plain';
}

export async function chooseReporters(opts: ChooseReportersOptions): Promise<Reporter[]> {
  const kind = reporterKind(opts);
  if (kind === 'json') return [new JsonReporter({ out: opts.out, mode: opts.jsonDocument ? 'document' : 'lines' })];
  const view = { color: opts.color, verbose: opts.verbose, diff: opts.diff };
  if (kind === 'live') {
    const { ListrReporter } = await import('./listr-reporter.js');
    return [new ListrReporter({ out: opts.out, err: opts.err, ...view })];
  }
  return [new PlainReporter({ out: opts.out, ...view })];
}

/**
 * Color decision, first match wins: `--no-color` (flag false) off; `--color` (flag true) on;
 * NO_COLOR set to anything non-empty off; FORCE_COLOR on (unless "0" or "false"); else isTTY.
 * Command-line flags beat the environment, as https://no-color.org asks.
 */
export function colorEnabled(
  env: Readonly<Record<string, string | undefined>>,
  isTTY: boolean,
  flag?: boolean,
): boolean {
  if (flag !== undefined) return flag;
  if (env['NO_COLOR']) return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  return isTTY;
}

/** Whether we run under CI (the usual variables); for chooseReporters' `ci`. */
export function isCi(env: Readonly<Record<string, string | undefined>>): boolean {
  const ci = env['CI'];
  if (ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false') return true;
  return ['GITHUB_ACTIONS', 'GITLAB_CI', 'BUILDKITE', 'JENKINS_URL', 'TEAMCITY_VERSION'].some((k) => Boolean(env[k]));
}
