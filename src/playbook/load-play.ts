/**
 * One play mapping -> Play: play keywords (schema + serial/become_method checks), its four task
 * lists, and the play-wide checks (notify names a handler of this play, handler names unique).
 * import_playbook entries are not plays and are handled by load-playbook.ts.
 */
import { dirname, join } from 'node:path';
import type { Problem } from '../errors/k3play-error.js';
import { formatLocation } from '../errors/source-location.js';
import { locate } from '../errors/yaml-source.js';
import { didYouMean } from '../errors/did-you-mean.js';
import { isMapping, mappingOrEmpty, optionalBool, optionalNumber, optionalString, stringList, tagList, withoutUndefined } from './keyword-values.js';
import { actionSpec, type LoadState, type PlayScope, type Where } from './load-state.js';
import { checkVarNames, loadTaskList } from './load-tasks.js';
import { PLAY_KEYWORDS, TASK_KEYWORDS, playSchema } from './playbook-schema.js';
import { checkSchema, describeValue } from './schema-problems.js';
import type { HostOrder, Play, SerialSpec, Task } from './types.js';
import { absolutePath, displayPath } from './yaml-file.js';

export async function loadPlay(raw: unknown, where: Where, index: number, st: LoadState): Promise<Play | undefined> {
  const { src, path } = where;
  if (!isMapping(raw)) {
    st.problems.add({
      loc: locate(src, path),
      message: `play #${index} must be a mapping (got ${describeValue(raw)})`,
      hint: 'a play is a mapping such as - hosts: all',
    });
    return undefined;
  }
  const name = optionalString(raw['name']);
  const context = name !== undefined ? `play "${name}"` : `play #${index}`;
  const add = (p: Problem): void => st.problems.add({ context, ...p });
  const looksLikeTask = Object.keys(raw).some((k) => actionSpec(st, k) !== undefined);

  for (const p of checkSchema(playSchema, raw, {
    src,
    at: path,
    context,
    unknownKey: (k, parent, known) => {
      if (parent.length > 0) return { message: `unknown key "${k}"` };
      if (actionSpec(st, k)) return { message: `unknown play keyword "${k}"`, hint: `"${k}" is a module: put the task in a list under "tasks:"` };
      if (TASK_KEYWORDS.includes(k) && !known.includes(k)) return { message: `unknown play keyword "${k}"`, hint: `"${k}" is a task keyword; plays do not take it` };
      const hint = didYouMean(k, known);
      return { message: `unknown play keyword "${k}"`, ...(hint ? { hint } : {}) };
    },
    missingKey: (k) =>
      k === 'hosts'
        ? {
            message: 'missing "hosts:" (which inventory hosts the play runs on)',
            hint: looksLikeTask ? 'this looks like a task, not a play: put it in a list under "tasks:" of a play' : 'add e.g. hosts: all',
          }
        : { message: `missing required keyword "${k}"` },
  })) {
    st.problems.add(p);
  }

  const serial = checkSerial(raw['serial'], where, add);
  const method = raw['become_method'];
  if (typeof method === 'string' && method !== 'sudo') {
    add({ loc: locate(src, [...path, 'become_method']), message: `become_method: "${method}" is not supported`, hint: 'k3play becomes root with sudo; remove become_method or set it to sudo' });
  }
  checkVarNames(raw['vars'], { ...where, path: [...path, 'vars'] }, context, st);

  const scope: PlayScope = { notifies: [] };
  const section = (k: string, role: 'task' | 'handler' = 'task') => loadTaskList(raw[k], { ...where, path: [...path, k] }, role, k, st, scope);
  const preTasks = await section('pre_tasks');
  const tasks = await section('tasks');
  const postTasks = await section('post_tasks');
  const handlers = (await section('handlers', 'handler')).filter((t): t is Task => t.kind === 'task');
  checkHandlers(handlers, scope, st);

  const hostsRaw = raw['hosts'];
  const hosts = typeof hostsRaw === 'string' ? hostsRaw : stringList(hostsRaw).join(',');
  const gather = raw['gather_facts'];
  const gatherFacts: boolean | 'smart' = gather === false || gather === 'smart' ? gather : true;
  const play: Play = {
    name: name ?? hosts,
    hosts,
    loc: locate(src, path),
    hostsLoc: 'hosts' in raw ? locate(src, [...path, 'hosts']) : undefined,
    vars: mappingOrEmpty(raw['vars']),
    varsFiles: stringList(raw['vars_files']).map((f) => varsFilePath(f, src.abs, st.cwd)),
    gatherFacts,
    become: optionalBool(raw['become']),
    becomeUser: optionalString(raw['become_user']),
    serial,
    maxFailPercentage: optionalNumber(raw['max_fail_percentage']),
    anyErrorsFatal: raw['any_errors_fatal'] === true,
    order: (optionalString(raw['order']) as HostOrder | undefined) ?? 'inventory',
    strategy: raw['strategy'] === 'free' ? ('free' as const) : ('linear' as const),
    tags: tagList(raw['tags']),
    environment: environmentOf(raw['environment']),
    preTasks,
    tasks,
    postTasks,
    handlers,
  };
  return withoutUndefined(play);
}

/**
 * vars_files relative to the playbook, shown relative to cwd like every path. Templated names
 * are joined the same way and rendered later.
 */
function varsFilePath(f: string, playbookAbs: string, cwd: string): string {
  if (f.includes('{{')) return f.startsWith('/') || f.startsWith('{{') ? f : join(displayPath(dirname(playbookAbs), cwd), f);
  return displayPath(absolutePath(f, dirname(playbookAbs)), cwd);
}

/** Play environment values are strings for the remote process; YAML scalars are stringified. */
function environmentOf(v: unknown): Readonly<Record<string, string>> | undefined {
  if (!isMapping(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null && typeof x !== 'object') out[k] = String(x);
  return out;
}

const PERCENT = /^(\d+(?:\.\d+)?)%$/;

/** serial: N | "N%" | a list of them (the last repeats). Type errors are reported by the schema. */
function checkSerial(v: unknown, where: Where, add: (p: Problem) => void): SerialSpec[] {
  if (v === undefined || v === null) return [];
  const items = Array.isArray(v) ? v : [v];
  const out: SerialSpec[] = [];
  items.forEach((item, i) => {
    const loc = locate(where.src, Array.isArray(v) ? [...where.path, 'serial', i] : [...where.path, 'serial']);
    const label = Array.isArray(v) ? `serial[${i}]` : 'serial';
    const hint = 'use a number of hosts (serial: 2), a percentage (serial: "30%") or a list of them (serial: [1, "50%"])';
    if (typeof item === 'number') {
      if (Number.isInteger(item) && item >= 1) out.push(item);
      else add({ loc, message: `${label}: must be at least 1 (got ${item})`, hint });
    } else if (typeof item === 'string') {
      const m = PERCENT.exec(item.trim());
      const pct = m ? Number(m[1]) : NaN;
      if (/^\d+$/.test(item.trim()) && Number(item) >= 1) out.push(Number(item));
      else if (m && pct > 0 && pct <= 100) out.push(`${pct}%`);
      else if (m) add({ loc, message: `${label}: percentage must be between 1% and 100% (got "${item}")`, hint });
      else add({ loc, message: `${label}: "${item}" is neither a number of hosts nor a percentage`, hint });
    }
  });
  return out;
}

/** notify must name a handler of this play (by name or listen); handler names are unique. */
function checkHandlers(handlers: readonly Task[], scope: PlayScope, st: LoadState): void {
  const first = new Map<string, Task>();
  for (const h of handlers) {
    if (h.name === undefined) continue;
    const prev = first.get(h.name);
    if (prev) {
      st.problems.add({
        loc: h.loc,
        context: `handler "${h.name}" (${h.module})`,
        message: `duplicate handler name "${h.name}"`,
        hint: `the first one is at ${formatLocation(prev.loc)}; rename one, or use listen: to let several handlers answer one notify`,
      });
    } else {
      first.set(h.name, h);
    }
  }
  const known = new Set<string>();
  for (const h of handlers) {
    if (h.name !== undefined) known.add(h.name);
    for (const l of h.listen) known.add(l);
  }
  for (const n of scope.notifies) {
    if (known.has(n.name) || n.name.includes('{{')) continue;
    const hint =
      known.size === 0
        ? 'this play has no handlers; add one under "handlers:" with this name'
        : didYouMean(n.name, known) ?? `handlers of this play: ${[...known].map((k) => `"${k}"`).join(', ')}`;
    st.problems.add({ loc: n.loc, context: n.context, message: `notify: no handler "${n.name}" in this play`, hint });
  }
}
