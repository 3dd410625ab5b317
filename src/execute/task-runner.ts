/**
 * One task on one host: vars -> when -> loop -> (module | engine action) with until/retries
 * -> changed_when/failed_when -> register -> notify -> one host_result event per result.
 * Failures are results, not exceptions: a failed host is marked and the others go on. Only
 * HostUnreachable (connection lost) turns a host unreachable.
 */
import { HostUnreachable } from '../connection/types.js';
import { isK3playError } from '../errors/k3play-error.js';
import { formatLocation, type SourceLocation } from '../errors/source-location.js';
import { Secret, registerSecretValue } from '../module-api/secret.js';
import { TaskFailure, type ControllerContext, type ModuleDef } from '../module-api/types.js';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Task } from '../playbook/types.js';
import type { HostResultEvent, HostStatus } from '../report/run-event.js';
import { evaluateCondition, renderDeep } from '../template/index.js';
import { StepFailed } from './apply-steps.js';
import { validateModuleArgs } from './args-validator.js';
import { runEngineAction } from './engine-actions.js';
import type { HostRun } from './host-run.js';
import { runModule } from './module-task.js';
import type { PlayContext, Scope } from './run-context.js';
import { failedResult, okResult, registeredValue, skippedResult, splitLines, type TaskResult } from './task-result.js';
import { buildVars, referencedNames } from './task-vars.js';

const NO_LOG_MSG = 'the output has been hidden due to the fact that no_log: true was specified for this result';

export function taskDisplayName(task: Task): string {
  return task.name ?? task.module;
}

/** Names a task's templates and expressions may refer to (cached per task object). */
const neededCache = new WeakMap<Task, Set<string>>();
function neededNames(task: Task, scope: Scope): Set<string> {
  let s = neededCache.get(task);
  if (!s) {
    s = referencedNames([task.args, task.loop, task.name, task.delegateTo, task.environment, task.loopControl?.label]);
    referencedNames([task.when, task.until, task.changedWhen, task.failedWhen], true, s);
    if (task.module === 'assert') referencedNames((task.args as { that?: unknown }).that, true, s);
    if (task.module === 'debug' && typeof (task.args as { var?: unknown }).var === 'string') {
      referencedNames((task.args as { var: string }).var, true, s);
    }
    neededCache.set(task, s);
  }
  const out = new Set(s);
  for (const w of scope.when) referencedNames(w.text, true, out);
  referencedNames(scope.environment, false, out);
  referencedNames(scope.delegateTo, false, out);
  return out;
}

export function hostVarsFor(h: HostRun, pc: PlayContext, scope: Scope, task: Task | null, needed: Set<string> | 'all'): Record<string, unknown> {
  const run = pc.run;
  const hostvars: Record<string, unknown> = {};
  // This host's own entry is its inventory+facts scope while its vars render (so `hostvars this` works
  // in a loop over a group that includes it), then its full vars.
  for (const [name, other] of run.hosts) hostvars[name] = other.hostScope();
  const magic: Record<string, unknown> = {
    inventory_hostname: h.name,
    inventory_hostname_short: h.name.split('.')[0],
    groups: run.groups,
    group_names: Object.keys(run.groups).filter((g) => g !== 'all' && g !== 'ungrouped' && run.groups[g]!.includes(h.name)).sort(),
    hostvars,
    play_hosts: pc.batch.filter((x) => x.active).map((x) => x.name),
    ansible_play_hosts: pc.batch.filter((x) => x.active).map((x) => x.name),
    ansible_play_batch: pc.batch.map((x) => x.name),
    playbook_dir: run.playbookDir,
    ansible_check_mode: run.opts.check,
    ansible_diff_mode: run.opts.diff,
    ansible_verbosity: run.opts.verbose,
  };
  const vars = buildVars(
    {
      inventory: h.inventoryVars,
      facts: h.factVars,
      play: pc.vars,
      scoped: task ? [...scope.vars, task.vars] : scope.vars,
      run: h.runVars,
      extra: run.opts.extraVars,
      magic,
    },
    needed,
    renderDeep,
    task?.loc ?? pc.play.loc,
  );
  hostvars[h.name] = vars;
  return vars;
}

function conditionsHold(conds: readonly { text: string; loc: SourceLocation }[], vars: Record<string, unknown>): boolean {
  for (const c of conds) if (!evaluateCondition(c.text, vars, c.loc)) return false;
  return true;
}

/** Runs the task on one host and records everything; never throws for host-level problems. */
export async function runTaskOnHost(task: Task, h: HostRun, scope: Scope, pc: PlayContext): Promise<TaskResult> {
  const started = Date.now();
  const run = pc.run;
  const noLog = task.noLog ?? scope.noLog ?? false;
  const pendingBefore = h.pendingChange;
  let final: TaskResult;
  try {
    // A module with a controller-side `prepare` (template files) may refer to any variable.
    const needed = pc.run.modules.get(task.module)?.prepare ? 'all' : neededNames(task, scope);
    const vars = hostVarsFor(h, pc, scope, task, needed);
    const when = [...scope.when, ...task.when.map((text) => ({ text, loc: task.loc }))];
    if (task.loop !== undefined) {
      const items = renderDeep(task.loop, vars, task.loc);
      if (!Array.isArray(items)) {
        final = failedResult(`loop must be a list, got ${describeType(items)}`, 'give loop a YAML list, or a template that yields a list: loop: "{{ groups.servers }}"');
      } else {
        final = await runLoop(task, h, scope, pc, vars, when, items, noLog, pendingBefore);
        finishTask(task, h, scope, final);
        return final;
      }
    } else if (!conditionsHold(when, vars)) {
      final = skippedResult('conditional result was false');
    } else {
      final = await runWithRetries(task, h, scope, pc, vars);
    }
  } catch (e) {
    final = resultFromError(e);
  }
  final = deferredInCheck(final, task, scope, pc, pendingBefore);
  emitResult(task, h, final, pc, noLog, pendingBefore, Date.now() - started, scope);
  finishTask(task, h, scope, final);
  return final;
}

async function runLoop(
  task: Task,
  h: HostRun,
  scope: Scope,
  pc: PlayContext,
  vars: Record<string, unknown>,
  when: { text: string; loc: SourceLocation }[],
  items: unknown[],
  noLog: boolean,
  pendingBefore: boolean,
): Promise<TaskResult> {
  const loopVar = task.loopControl?.loopVar ?? 'item';
  const results: TaskResult[] = [];
  for (let i = 0; i < items.length; i++) {
    const itemStart = Date.now();
    const item = items[i];
    const ivars: Record<string, unknown> = {
      ...vars,
      [loopVar]: item,
      ansible_loop: { index: i + 1, index0: i, first: i === 0, last: i === items.length - 1, length: items.length },
    };
    if (task.loopControl?.indexVar) ivars[task.loopControl.indexVar] = i;
    let r: TaskResult;
    let label: string;
    try {
      label = task.loopControl?.label !== undefined ? String(renderDeep(task.loopControl.label, ivars, task.loc)) : labelOf(item);
      r = conditionsHold(when, ivars) ? await runWithRetries(task, h, scope, pc, ivars) : skippedResult('conditional result was false');
    } catch (e) {
      label = labelOf(item);
      r = resultFromError(e);
    }
    r = deferredInCheck(r, task, scope, pc, pendingBefore);
    r.item = item;
    results.push(r);
    emitResult(task, h, r, pc, noLog, pendingBefore, Date.now() - itemStart, scope, label);
    if (r.unreachable) break;
    if (task.loopControl?.pause) await sleep(task.loopControl.pause * 1000);
  }
  const failed = results.some((r) => r.failed);
  const agg: TaskResult = {
    changed: results.some((r) => r.changed),
    failed,
    skipped: results.length > 0 && results.every((r) => r.skipped),
    results,
    msg: failed ? 'one or more items failed' : 'all items completed',
    ...(results.some((r) => r.unreachable) ? { unreachable: true } : {}),
  };
  if (items.length === 0) agg.skipped = true;
  return agg;
}

/**
 * Check mode: a task that fails on a host where an earlier task would have changed something
 * usually fails only because that change was not made (a file not yet written). It cannot be
 * checked honestly, so it is reported as skipped with the reason, not as a failure.
 */
function deferredInCheck(r: TaskResult, task: Task, scope: Scope, pc: PlayContext, pendingBefore: boolean): TaskResult {
  const check = task.checkMode ?? scope.checkMode ?? pc.run.opts.check;
  if (!check || !pendingBefore || !r.failed || r.unreachable) return r;
  const { hint: _hint, ...rest } = r;
  return { ...rest, failed: false, skipped: true, msg: `cannot be checked before an earlier change on this host is made: ${r.msg ?? 'it would fail now'}` };
}

function labelOf(item: unknown): string {
  if (typeof item === 'string') return item;
  try {
    return JSON.stringify(item);
  } catch {
    return String(item);
  }
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}...` : v)}`;
  return typeof v;
}

/** until/retries around one execution, then changed_when/failed_when. */
async function runWithRetries(task: Task, h: HostRun, scope: Scope, pc: PlayContext, vars: Record<string, unknown>): Promise<TaskResult> {
  const until = task.until ?? [];
  const retries = until.length > 0 ? (task.retries ?? 3) : 0;
  const delayMs = (task.delay ?? 5) * 1000;
  let r: TaskResult = okResult();
  for (let attempt = 1; ; attempt++) {
    r = await executeOnce(task, h, scope, pc, vars);
    if (r.unreachable) return r;
    r = applyResultConditions(task, r, vars);
    if (until.length === 0) return r;
    r.attempts = attempt;
    const rv = { ...vars, ...(task.register ? { [task.register]: registeredValue(r) } : {}), result: registeredValue(r) };
    const ok = until.every((c) => evaluateCondition(c, rv, task.loc));
    if (ok) return r;
    if (attempt > retries) {
      return { ...r, failed: true, msg: `retries exhausted (${attempt} attempts): until condition never held: ${until.join(' and ')}` };
    }
    if (pc.run.opts.abort?.aborted) return { ...r, failed: true, msg: 'interrupted while retrying' };
    await sleep(delayMs);
  }
}

function applyResultConditions(task: Task, r: TaskResult, vars: Record<string, unknown>): TaskResult {
  if (task.changedWhen === undefined && task.failedWhen === undefined) return r;
  const rv = { ...vars, ...(task.register ? { [task.register]: registeredValue(r) } : {}), result: registeredValue(r) };
  const out = { ...r };
  if (task.changedWhen !== undefined) {
    out.changed = typeof task.changedWhen === 'boolean' ? task.changedWhen : task.changedWhen.every((c) => evaluateCondition(c, rv, task.loc));
  }
  if (task.failedWhen !== undefined) {
    // A list of conditions is ANDed, for failed_when as for when and changed_when (Ansible).
    const failed = typeof task.failedWhen === 'boolean' ? task.failedWhen : task.failedWhen.every((c) => evaluateCondition(c, rv, task.loc));
    out.failed = failed;
    if (failed && !r.failed) out.msg = `failed_when condition held: ${Array.isArray(task.failedWhen) ? task.failedWhen.join(' and ') : 'true'}`;
    if (!failed && r.failed) delete out.hint;
  }
  return out;
}

async function executeOnce(task: Task, h: HostRun, scope: Scope, pc: PlayContext, vars: Record<string, unknown>): Promise<TaskResult> {
  const run = pc.run;
  const mod = run.modules.get(task.module);
  if (!mod) return runEngineAction(task, h, pc, vars);
  const rendered = renderDeep(task.args, vars, task.argsLoc) as Record<string, unknown>;
  const args = structuredCloneArgs(rendered);
  const problems = validateModuleArgs(mod, args);
  if (problems.length > 0) {
    return failedResult(problems.join('; '), `rendered arguments do not fit module ${mod.name} (see: k3play modules ${mod.name})`);
  }
  wrapSecrets(mod, args);
  const prepared = mod.prepare ? await mod.prepare(args, controllerContext(h, pc, vars)) : args;
  const targetName = task.delegateTo ?? scope.delegateTo;
  const target = targetName ? resolveDelegate(String(renderDeep(targetName, vars, task.loc)), pc, h) : h;
  // The rendered delegate's name goes with the result, for the reporters' "[host -> delegate]".
  const delegated = (r: TaskResult): TaskResult => (target === h ? r : { ...r, delegatedTo: target.name });
  const conn = await run.connect(target);
  const become = task.become ?? scope.become ?? truthy(vars['ansible_become'] ?? vars['k3play_become']);
  const becomeUser = task.becomeUser ?? scope.becomeUser;
  const envRaw = { ...(scope.environment ?? {}), ...(task.environment ?? {}) };
  const env = Object.keys(envRaw).length > 0 ? stringMap(renderDeep(envRaw, vars, task.loc)) : undefined;
  const check = task.checkMode ?? scope.checkMode ?? run.opts.check;
  try {
    const outcome = await runModule(mod, prepared, conn, { sudo: become, ...(becomeUser ? { becomeUser } : {}), ...(env ? { env } : {}) }, check);
    if (outcome.applied) run.facts.forgetHost(target.name);
    const r: TaskResult = okResult({
      changed: outcome.changes.length > 0,
      changes: outcome.changes.map((c) => c.summary),
      changeDetails: outcome.changes.map((c) => (c.diff ? { summary: c.summary, diff: c.diff } : { summary: c.summary })),
      ...(check && outcome.changes.length > 0 ? { check: true } : {}),
    });
    if (outcome.last) Object.assign(r, execFields(outcome.last));
    if (outcome.notConverged) {
      r.failed = true;
      r.not_converged = true;
      r.msg = `not converged: after applying, module ${mod.name} still plans: ${outcome.notConverged.map((c) => c.summary).join('; ')}`;
      r.hint = 'this is a bug in the module (its read or plan does not match what its steps do); please report it';
    }
    return delegated(r);
  } catch (e) {
    if (e instanceof TaskFailure) return delegated(failedResult(e.message, e.hint));
    if (e instanceof StepFailed) return delegated({ ...failedResult(e.message), ...execFields(e.result) });
    throw e;
  }
}

/** Registered command output, as Ansible registers it: one trailing newline removed. */
function controllerContext(h: HostRun, pc: PlayContext, vars: Record<string, unknown>): ControllerContext {
  const base = pc.run.playbookDir;
  return {
    host: h.name,
    resolvePath(p, kind) {
      if (path.isAbsolute(p)) return p;
      const candidates = [...(kind ? [path.join(base, kind, p)] : []), path.join(base, p)];
      return candidates.find((c) => existsSync(c)) ?? candidates[candidates.length - 1]!;
    },
    readFile: (p) => readFile(p),
    renderTemplate: (text, file) => {
      const v = renderDeep(text, vars, { file: path.relative(process.cwd(), file) || file, line: 1, col: 1 });
      return v instanceof Secret ? v.reveal() : typeof v === 'string' ? v : JSON.stringify(v);
    },
  };
}

function execFields(last: { exitCode: number; stdout: string; stderr: string }): Partial<TaskResult> {
  const stdout = chompNewline(last.stdout);
  const stderr = chompNewline(last.stderr);
  return { rc: last.exitCode, stdout, stderr, stdout_lines: splitLines(stdout), stderr_lines: splitLines(stderr) };
}

function chompNewline(s: string): string {
  return s.endsWith('\n') ? s.slice(0, -1) : s;
}

function structuredCloneArgs(v: Record<string, unknown>): Record<string, unknown> {
  // Rendering returns fresh objects for templated parts only; ajv coercion mutates: copy first.
  return JSON.parse(JSON.stringify(v, (_k, x) => (x instanceof Secret ? { __k3playSecret: x.reveal() } : x)), (_k, x) =>
    x && typeof x === 'object' && '__k3playSecret' in x ? new Secret(String((x as { __k3playSecret: string }).__k3playSecret)) : x,
  ) as Record<string, unknown>;
}

function wrapSecrets(mod: ModuleDef<unknown, unknown>, args: Record<string, unknown>): void {
  for (const key of mod.secretArgs ?? []) {
    const v = args[key];
    if (typeof v === 'string') args[key] = new Secret(v);
  }
}

function resolveDelegate(name: string, pc: PlayContext, h: HostRun): HostRun {
  if (name === h.name) return h;
  const t = pc.run.hosts.get(name);
  if (!t) throw new TaskFailure(`delegate_to: no host named "${name}" in the inventory`, 'delegate_to must name an inventory host (localhost is implicit)');
  return t;
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = x instanceof Secret ? x.reveal() : String(x);
  return out;
}

export function truthy(v: unknown): boolean {
  if (typeof v === 'string') return ['yes', 'true', '1', 'on'].includes(v.toLowerCase());
  return Boolean(v);
}

function resultFromError(e: unknown): TaskResult {
  if (e instanceof HostUnreachable) {
    return { changed: false, failed: false, skipped: false, unreachable: true, msg: e.reason };
  }
  if (isK3playError(e)) {
    const p = e.problems[0];
    const where = p?.loc ? `${formatLocation(p.loc)}: ` : '';
    return failedResult(e.problems.map((x) => `${where}${x.message}`).join('; '), p?.hint);
  }
  if (e instanceof TaskFailure) return failedResult(e.message, e.hint);
  const err = e instanceof Error ? e : new Error(String(e));
  return failedResult(`internal error: ${err.message}`, 'this is a bug in k3play; run with -vvv for the stack trace and report it');
}

function statusOf(r: TaskResult): HostStatus {
  if (r.unreachable) return 'unreachable';
  if (r.failed) return 'failed';
  if (r.skipped) return 'skipped';
  return r.changed ? 'changed' : 'ok';
}

function emitResult(
  task: Task,
  h: HostRun,
  r: TaskResult,
  pc: PlayContext,
  noLog: boolean,
  pendingBefore: boolean,
  durationMs: number,
  scope: Scope,
  item?: string,
): void {
  const ignored = r.failed && (task.ignoreErrors ?? scope.ignoreErrors ?? false);
  const ev: HostResultEvent = {
    type: 'host_result',
    task: taskDisplayName(task),
    module: task.module,
    host: h.name,
    status: statusOf(r),
    ...(r.check ? { check: true } : {}),
    changes: noLog ? (r.changes ?? []).map(() => ({ summary: '(hidden: no_log)' })) : changesWithDiffs(r),
    ...(r.msg !== undefined ? { msg: noLog && !r.skipped ? NO_LOG_MSG : r.msg } : {}),
    ...(r.hint && !noLog ? { hint: r.hint } : {}),
    ...(item !== undefined ? { item: noLog ? '(hidden: no_log)' : item } : {}),
    ...(r.rc !== undefined ? { rc: r.rc } : {}),
    ...(!noLog && r.stdout !== undefined ? { stdout: r.stdout } : {}),
    ...(!noLog && r.stderr !== undefined ? { stderr: r.stderr } : {}),
    ...(ignored ? { ignored: true } : {}),
    ...(pendingBefore && pc.run.opts.check ? { afterPendingChange: true } : {}),
    ...(typeof r.delegatedTo === 'string' ? { delegatedTo: r.delegatedTo } : {}),
    durationMs,
  };
  if (noLog) {
    for (const s of [r.stdout, r.stderr]) if (s) registerSecretValue(s.trim());
  }
  pc.run.emit(ev);
}

function changesWithDiffs(r: TaskResult): NonNullable<TaskResult['changeDetails']> {
  return r.changeDetails ?? (r.changes ?? []).map((summary) => ({ summary }));
}

/** Recap, register, notify, failure flags: after the task's final result on this host. */
function finishTask(task: Task, h: HostRun, scope: Scope, r: TaskResult): void {
  const ignored = r.failed && (task.ignoreErrors ?? scope.ignoreErrors ?? false);
  if (r.unreachable) {
    h.unreachable = true;
    h.recap.unreachable++;
  } else if (r.failed && !ignored) {
    h.failed = true;
    h.countFailure();
  } else if (ignored) {
    h.recap.ignored++;
  } else if (r.skipped) {
    h.recap.skipped++;
  } else {
    h.recap.ok++;
    if (r.changed) h.recap.changed++;
  }
  if (task.register && !r.unreachable) h.runVars.set(task.register, registeredValue(r));
  if (r.changed && !r.failed) {
    for (const n of task.notify) h.notified.add(n);
    if (r.check) h.pendingChange = true;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
