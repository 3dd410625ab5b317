/**
 * Task lists (pre_tasks, tasks, post_tasks, handlers, block/rescue/always, task files) ->
 * TaskNode[]. Owns: finding a task's one module key among its keywords (and telling a misspelt
 * keyword from a misspelt module), keyword checks, blocks, and import_tasks/include_tasks, which
 * are expanded here into a Block carrying the import's vars and conditions. Every problem goes
 * to the shared ProblemList; a node with problems may still be returned so later checks
 * (notify -> handlers) see as much of the play as possible. Nothing here runs or renders.
 */
import { dirname } from 'node:path';
import type { Problem } from '../errors/k3play-error.js';
import type { SourceLocation } from '../errors/source-location.js';
import { locate } from '../errors/yaml-source.js';
import { closest, didYouMean } from '../errors/did-you-mean.js';
import {
  IDENTIFIER_HINT,
  boolOrConditions,
  conditions,
  isIdentifier,
  isMapping,
  mappingOrEmpty,
  optionalBool,
  optionalNumber,
  optionalString,
  pick,
  stringList,
  tagList,
  withoutUndefined,
  type Mapping,
} from './keyword-values.js';
import { actionNames, actionSpec, yieldToIo, type LoadState, type PlayScope, type Where } from './load-state.js';
import { resolveArgs } from './module-args.js';
import { BLOCK_KEYWORDS, COMMON_KEYWORDS, PLAY_KEYWORDS, TASK_KEYWORDS, blockKeywordsSchema, taskImportSchema, taskKeywordsSchema } from './playbook-schema.js';
import { checkSchema, describeValue, isTemplate } from './schema-problems.js';
import type { Block, Task, TaskCommon, TaskNode } from './types.js';
import { absolutePath, displayPath, readYamlFile } from './yaml-file.js';

export type TaskRole = 'task' | 'handler';

const TASK_ONLY_KEYWORDS = TASK_KEYWORDS.filter((k) => !COMMON_KEYWORDS.includes(k));
const IMPORT_KEYS = ['import_tasks', 'include_tasks'] as const;

/** Loads the list at `where` (null = empty). `label` names it in messages (`tasks`, `block`). */
export async function loadTaskList(raw: unknown, where: Where, role: TaskRole, label: string, st: LoadState, scope: PlayScope): Promise<TaskNode[]> {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) {
    st.problems.add({
      loc: locate(where.src, where.path),
      message: `${label}: must be a list of tasks (got ${describeValue(raw)})`,
      hint: `write ${label}: as a list, each task starting with "- "`,
    });
    return [];
  }
  const out: TaskNode[] = [];
  for (const [i, item] of raw.entries()) {
    await yieldToIo(st);
    const node = await loadTaskNode(item, { ...where, path: [...where.path, i] }, i + 1, role, st, scope);
    if (node) out.push(node);
  }
  return out;
}

async function loadTaskNode(raw: unknown, where: Where, index: number, role: TaskRole, st: LoadState, scope: PlayScope): Promise<TaskNode | undefined> {
  const noun = role === 'handler' ? 'handler' : 'task';
  if (!isMapping(raw)) {
    st.problems.add({
      loc: locate(where.src, where.path),
      message: `${noun} #${index} must be a mapping (got ${describeValue(raw)})`,
      hint: 'a task is a mapping with one module key, e.g. - debug: {msg: hi}',
    });
    return undefined;
  }
  const name = optionalString(raw['name']);
  const title = name !== undefined ? `${noun} "${name}"` : `${noun} #${index}`;
  if ('block' in raw || 'rescue' in raw || 'always' in raw) {
    if (role === 'handler') return rejectInHandlers(raw, where, title, 'block', st);
    return loadBlock(raw, where, name !== undefined ? `block "${name}"` : `block #${index}`, role, st, scope);
  }
  const importKey = IMPORT_KEYS.find((k) => k in raw);
  if (importKey) {
    if (role === 'handler') return rejectInHandlers(raw, where, title, importKey, st);
    return loadTaskImport(raw, where, `${title} (${importKey})`, importKey, role, st, scope);
  }
  return loadTask(raw, where, title, role, st, scope);
}

function rejectInHandlers(raw: Mapping, where: Where, title: string, key: string, st: LoadState): undefined {
  st.problems.add({
    loc: locate(where.src, [...where.path, key], 'key'),
    context: title,
    message: `${key} is not supported in handlers yet`,
    hint: 'write each handler as a single task',
  });
  void raw;
  return undefined;
}

function loadTask(raw: Mapping, where: Where, title: string, role: TaskRole, st: LoadState, scope: PlayScope): Task | undefined {
  const { src, path } = where;
  const keys = Object.keys(raw);
  const modules = keys.filter((k) => !TASK_KEYWORDS.includes(k) && actionSpec(st, k) !== undefined);
  const unknown = keys.filter((k) => !TASK_KEYWORDS.includes(k) && actionSpec(st, k) === undefined);
  const module = modules[0];
  const context = module ? `${title} (${module})` : title;
  const add = (p: Problem): void => st.problems.add({ context, ...p });
  const keyLoc = (k: string): SourceLocation => locate(src, [...path, k], 'key');

  if (modules.length > 1) {
    add({
      loc: keyLoc(modules[1]!),
      message: `both ${modules.map((m) => `"${m}"`).join(' and ')} given; a task runs one module`,
      hint: 'split it into one task per module',
    });
  }
  let unknownModules = 0;
  let playKeys = 0;
  for (const k of unknown) {
    if (/^with_/.test(k)) {
      add({ loc: keyLoc(k), message: `"${k}" is not supported`, hint: 'use loop: (with_items is accepted as its alias)' });
      continue;
    }
    if (PLAY_KEYWORDS.includes(k)) {
      playKeys++;
      add({ loc: keyLoc(k), message: `unknown task keyword "${k}"`, hint: `"${k}" is a play keyword: this looks like a play, not a task (plays are imported with import_playbook)` });
      continue;
    }
    const kw = closest(k, TASK_KEYWORDS);
    const mod = closest(k, actionNames(st));
    // With a module present, extra keys are keywords. Without one, a key is the (misspelt)
    // module unless it is one edit away from a keyword and no closer to a module.
    const looksLikeKeyword = module !== undefined || (kw !== undefined && kw.distance <= 1 && (mod === undefined || kw.distance < mod.distance));
    if (looksLikeKeyword) {
      add({ loc: keyLoc(k), message: `unknown task keyword "${k}"`, ...hintOf(kw ? `did you mean "${kw.name}"?` : mod ? `did you mean "${mod.name}"? a task runs one module` : undefined) });
    } else {
      unknownModules++;
      add({ loc: keyLoc(k), message: `unknown module "${k}"`, hint: mod ? `did you mean "${mod.name}"?` : 'run "k3play modules" for the list' });
    }
  }
  if (modules.length === 0 && unknownModules === 0 && playKeys === 0) {
    const given = keys.filter((k) => TASK_KEYWORDS.includes(k));
    add({
      loc: locate(src, path),
      message: `no module given${given.length > 0 ? ` (only keywords: ${given.join(', ')})` : ''}`,
      hint: 'add the module to run, e.g. command: /bin/true; group tasks with block:',
    });
  }

  const keywords = pick(raw, TASK_KEYWORDS);
  for (const p of checkSchema(taskKeywordsSchema, keywords, { src, at: path, context, unknownKey: (k, _p, known) => ({ message: `unknown keyword "${k}"`, ...hintOf(didYouMean(k, known)) }) })) {
    st.problems.add(p);
  }
  checkTaskKeywords(raw, where, role, context, st, scope);
  if (!module) return undefined;

  const spec = actionSpec(st, module)!;
  const { args, argsLoc } = resolveArgs(st, spec, module, raw, where, context);
  const loop = 'loop' in raw ? raw['loop'] : raw['with_items'];
  const lc = isMapping(raw['loop_control']) ? raw['loop_control'] : undefined;
  const task: Task = withoutUndefined({
    kind: 'task' as const,
    ...commonOf(raw, where),
    module,
    args,
    argsLoc,
    loop,
    loopControl:
      loop !== undefined || lc
        ? withoutUndefined({
            loopVar: optionalString(lc?.['loop_var']) ?? 'item',
            label: optionalString(lc?.['label']),
            indexVar: optionalString(lc?.['index_var']),
            pause: optionalNumber(lc?.['pause']),
          })
        : undefined,
    register: optionalString(raw['register']),
    notify: stringList(raw['notify']),
    listen: stringList(raw['listen']),
    changedWhen: boolOrConditions(raw['changed_when']),
    failedWhen: boolOrConditions(raw['failed_when']),
    until: raw['until'] === undefined ? undefined : conditions(raw['until']),
    retries: optionalNumber(raw['retries']),
    delay: optionalNumber(raw['delay']),
  });
  return task;
}

/** Checks of task keywords that the schema cannot express, and notify references for the play. */
function checkTaskKeywords(raw: Mapping, where: Where, role: TaskRole, context: string, st: LoadState, scope: PlayScope): void {
  const { src, path } = where;
  const add = (p: Problem): void => st.problems.add({ context, ...p });
  if ('loop' in raw && 'with_items' in raw) {
    add({ loc: locate(src, [...path, 'with_items'], 'key'), message: 'both "loop" and "with_items" given; use one', hint: 'with_items is the old spelling of loop' });
  }
  for (const k of ['loop', 'with_items']) {
    if (!(k in raw)) continue;
    const v = raw[k];
    if (Array.isArray(v) || isTemplate(v)) continue;
    add({
      loc: locate(src, [...path, k]),
      message: `${k}: must be a list or a template such as "{{ items }}" (got ${describeValue(v)})`,
      hint: isMapping(v) ? `to loop over a mapping write ${k}: "{{dict2items my_map}}" (items have .key and .value)` : typeof v === 'string' ? `did you mean ${k}: "{{ ${v} }}"?` : 'write the items as a YAML list',
    });
  }
  const reg = raw['register'];
  if (typeof reg === 'string' && !isIdentifier(reg)) {
    add({ loc: locate(src, [...path, 'register']), message: `register: "${reg}" is not a valid variable name`, hint: IDENTIFIER_HINT });
  }
  const lc = raw['loop_control'];
  if (isMapping(lc)) {
    for (const k of ['loop_var', 'index_var']) {
      const v = lc[k];
      if (typeof v === 'string' && v !== '' && !isIdentifier(v)) {
        add({ loc: locate(src, [...path, 'loop_control', k]), message: `loop_control.${k}: "${v}" is not a valid variable name`, hint: IDENTIFIER_HINT });
      }
    }
  }
  if ('listen' in raw && role !== 'handler') {
    add({ loc: locate(src, [...path, 'listen'], 'key'), message: 'listen: only handlers listen', hint: 'tasks trigger handlers with notify:' });
  }
  checkVarNames(raw['vars'], { ...where, path: [...path, 'vars'] }, context, st);
  const notify = raw['notify'];
  const names = typeof notify === 'string' ? [notify] : Array.isArray(notify) ? notify : [];
  names.forEach((n, i) => {
    if (typeof n !== 'string') return;
    scope.notifies.push({ name: n, loc: locate(src, typeof notify === 'string' ? [...path, 'notify'] : [...path, 'notify', i]), context });
  });
}

/** Reports keys of a `vars:` mapping that cannot be variable names. */
export function checkVarNames(vars: unknown, where: Where, context: string | undefined, st: LoadState): void {
  if (!isMapping(vars)) return;
  for (const k of Object.keys(vars)) {
    if (isIdentifier(k)) continue;
    st.problems.add({
      loc: locate(where.src, [...where.path, k], 'key'),
      ...(context !== undefined ? { context } : {}),
      message: `vars: "${k}" is not a valid variable name`,
      hint: IDENTIFIER_HINT,
    });
  }
}

function commonOf(raw: Mapping, where: Where): TaskCommon {
  return withoutUndefined({
    name: optionalString(raw['name']),
    loc: locate(where.src, where.path),
    when: conditions(raw['when']),
    tags: tagList(raw['tags']),
    become: optionalBool(raw['become']),
    becomeUser: optionalString(raw['become_user']),
    ignoreErrors: optionalBool(raw['ignore_errors']),
    noLog: optionalBool(raw['no_log']),
    checkMode: optionalBool(raw['check_mode']),
    environment: isMapping(raw['environment']) ? { ...raw['environment'] } : undefined,
    vars: mappingOrEmpty(raw['vars']),
    delegateTo: optionalString(raw['delegate_to']),
    runOnce: optionalBool(raw['run_once']),
    anyErrorsFatal: optionalBool(raw['any_errors_fatal']),
  });
}

/**
 * Keys on a block or task import that do not belong there: a module, a task-only keyword, or
 * something unknown. `allowed` are the node's own keywords.
 */
function checkNodeKeys(raw: Mapping, where: Where, context: string, nodeKind: 'block' | 'import_tasks' | 'include_tasks', allowed: readonly string[], st: LoadState, skip: readonly string[] = []): void {
  const on = nodeKind === 'block' ? 'a block' : nodeKind;
  for (const k of Object.keys(raw)) {
    if (allowed.includes(k) || skip.includes(k)) continue;
    const loc = locate(where.src, [...where.path, k], 'key');
    if (actionSpec(st, k)) {
      st.problems.add({ loc, context, message: `${on} cannot also run a module ("${k}")`, hint: `move "${k}" into a task of its own` });
    } else if (TASK_ONLY_KEYWORDS.includes(k)) {
      st.problems.add({ loc, context, message: `"${k}" cannot be used on ${on}`, hint: 'put it on the tasks inside' });
    } else {
      st.problems.add({ loc, context, message: `unknown ${nodeKind} keyword "${k}"`, ...hintOf(didYouMean(k, allowed)) });
    }
  }
}

async function loadBlock(raw: Mapping, where: Where, context: string, role: TaskRole, st: LoadState, scope: PlayScope): Promise<Block> {
  const { src, path } = where;
  checkNodeKeys(raw, where, context, 'block', BLOCK_KEYWORDS, st);
  if (!('block' in raw)) {
    const k = 'rescue' in raw ? 'rescue' : 'always';
    st.problems.add({ loc: locate(src, [...path, k], 'key'), context, message: `${k}: needs a "block:" list in the same task`, hint: 'rescue: and always: sit next to block: in the same task' });
  }
  for (const p of checkSchema(blockKeywordsSchema, pick(raw, BLOCK_KEYWORDS), { src, at: path, context })) st.problems.add(p);
  checkVarNames(raw['vars'], { ...where, path: [...path, 'vars'] }, context, st);
  const part = (k: string): Promise<TaskNode[]> => loadTaskList(raw[k], { ...where, path: [...path, k] }, role, k, st, scope);
  return {
    kind: 'block',
    ...commonOf(raw, where),
    block: await part('block'),
    rescue: await part('rescue'),
    always: await part('always'),
  };
}

async function loadTaskImport(
  raw: Mapping,
  where: Where,
  context: string,
  key: (typeof IMPORT_KEYS)[number],
  role: TaskRole,
  st: LoadState,
  scope: PlayScope,
): Promise<Block | undefined> {
  const { src, path } = where;
  const add = (p: Problem): void => st.problems.add({ context, ...p });
  if ('import_tasks' in raw && 'include_tasks' in raw) {
    add({ loc: locate(src, [...path, 'include_tasks'], 'key'), message: 'both "import_tasks" and "include_tasks" given; use one', hint: 'make two tasks, one per file' });
  }
  for (const k of ['loop', 'with_items']) {
    if (!(k in raw)) continue;
    add({
      loc: locate(src, [...path, k], 'key'),
      message: `${key} with loop is not supported yet`,
      hint: `repeat the ${key} for each item, or move the loop onto the tasks inside the file`,
    });
  }
  checkNodeKeys(raw, where, context, key, [...COMMON_KEYWORDS, ...IMPORT_KEYS], st, ['loop', 'with_items']);
  for (const p of checkSchema(taskImportSchema, pick(raw, [...COMMON_KEYWORDS, ...IMPORT_KEYS]), { src, at: path, context })) st.problems.add(p);
  checkVarNames(raw['vars'], { ...where, path: [...path, 'vars'] }, context, st);

  const file = raw[key];
  if (typeof file !== 'string' || file === '') return undefined;
  const ref = locate(src, [...path, key]);
  if (isTemplate(file)) {
    add({ loc: ref, message: `${key}: the file name cannot be a template`, hint: 'task files are read when the playbook loads, before any variable is known' });
    return undefined;
  }
  const abs = absolutePath(file, dirname(src.abs));
  const chain = [...where.stack, src.abs];
  if (chain.includes(abs)) {
    add({ loc: ref, message: `import cycle: ${cycleText(chain, abs, st.cwd)}`, hint: 'a file cannot import itself, directly or through other files' });
    return undefined;
  }
  const read = await readYamlFile(abs, st.cwd, 'task file', ref);
  if (!read.ok) {
    st.problems.addAll(read.problems.map((p) => (p.loc === ref ? { context, ...p } : p)));
    return undefined;
  }
  const child = read.src;
  let list: unknown = child.value;
  if (list !== null && list !== undefined && !Array.isArray(list)) {
    st.problems.add({
      loc: locate(child, []),
      message: `a task file must be a list of tasks (got ${describeValue(list)})`,
      hint: isMapping(list) && 'hosts' in list ? 'this looks like a playbook: use import_playbook at the top level of a playbook' : 'start each task with "- "',
    });
    list = [];
  }
  const tasks = await loadTaskList(list, { src: child, path: [], stack: chain }, role, 'tasks', st, scope);
  return { kind: 'block', ...commonOf(raw, where), block: tasks, rescue: [], always: [] };
}

/** `a.yml → b.yml → a.yml`, from the first occurrence of `abs` in the chain. */
export function cycleText(chain: readonly string[], abs: string, cwd: string): string {
  return [...chain.slice(chain.indexOf(abs)), abs].map((f) => displayPath(f, cwd)).join(' → ');
}

function hintOf(hint: string | undefined): { hint?: string } {
  return hint ? { hint } : {};
}
