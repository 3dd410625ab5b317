/**
 * The result of one task on one host, as registered (`register: r` -> r.rc, r.stdout, ...)
 * and as tested in expressions (`r is changed`). Field names follow Ansible so existing
 * `when:` conditions port unchanged.
 */
import type { FileDiff } from '../module-api/types.js';

export interface TaskResult {
  changed: boolean;
  failed: boolean;
  skipped: boolean;
  msg?: string;
  hint?: string;
  rc?: number;
  stdout?: string;
  stderr?: string;
  stdout_lines?: string[];
  stderr_lines?: string[];
  /** Change summaries (k3play): what changed or would change. */
  changes?: string[];
  /** Internal: each change with its diff, for the reporter; not part of the registered value. */
  changeDetails?: { summary: string; diff?: FileDiff }[];
  /** Loop: per-item results. */
  results?: TaskResult[];
  attempts?: number;
  item?: unknown;
  unreachable?: boolean;
  /** True when produced in check mode. */
  check?: boolean;
  /** Module applied its changes but planned more afterwards. */
  not_converged?: boolean;
  /** Internal: the delegate_to host (rendered) the task ran on; not part of the registered value. */
  delegatedTo?: string;
  [k: string]: unknown;
}

export function skippedResult(reason: string): TaskResult {
  return { changed: false, failed: false, skipped: true, msg: reason };
}

export function failedResult(msg: string, hint?: string): TaskResult {
  return { changed: false, failed: true, skipped: false, msg, ...(hint ? { hint } : {}) };
}

export function okResult(extra: Partial<TaskResult> = {}): TaskResult {
  return { changed: false, failed: false, skipped: false, ...extra };
}

/** What `register:` stores: the result without engine-internal fields. */
export function registeredValue(r: TaskResult): Record<string, unknown> {
  const { changeDetails: _d, hint: _h, delegatedTo: _t, ...rest } = r;
  if (rest.results) rest.results = rest.results.map((x) => registeredValue(x) as TaskResult);
  return rest;
}

export function splitLines(s: string | undefined): string[] {
  if (!s) return [];
  const t = s.endsWith('\n') ? s.slice(0, -1) : s;
  return t === '' ? [] : t.split('\n');
}
