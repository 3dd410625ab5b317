/**
 * The playbook loader's entry point: a YAML file -> Playbook, with import_playbook expanded
 * (recursively, relative to the importing file, cycles reported), every play and task checked,
 * and ALL problems of the file and of the files it imports thrown at once as one K3playError
 * (exit code invalidInput). The module registry is passed in (LoadContext), never imported.
 * Host patterns are not evaluated here: playHostPatterns hands them to the inventory side.
 */
import { dirname } from 'node:path';
import { ExitCode, K3playError, ProblemList, type Problem } from '../errors/k3play-error.js';
import type { SourceLocation } from '../errors/source-location.js';
import { locate } from '../errors/yaml-source.js';
import { conditions, isMapping, mappingOrEmpty, tagList, type Mapping } from './keyword-values.js';
import type { LoadContext, LoadState, Where } from './load-state.js';
import { loadPlay } from './load-play.js';
import { checkVarNames, cycleText } from './load-tasks.js';
import { importPlaybookSchema } from './playbook-schema.js';
import { checkSchema, describeValue, isTemplate } from './schema-problems.js';
import type { Block, Play, Playbook, TaskNode } from './types.js';
import { absolutePath, displayPath, readYamlFile } from './yaml-file.js';

export type { LoadContext, ModuleArgsSpec } from './load-state.js';
export { loadVarsFile, type VarsFile } from './load-vars-file.js';

export async function loadPlaybook(file: string, ctx: LoadContext): Promise<Playbook> {
  const cwd = ctx.cwd ?? process.cwd();
  const st: LoadState = { modules: ctx.modules, cwd, problems: new ProblemList(), yieldToIo: ctx.onFirstPlay !== undefined };
  const abs = absolutePath(file, cwd);
  const plays = await loadPlaysFromFile(abs, [], undefined, st, ctx.onFirstPlay);
  if (st.problems.size > 0) throw new K3playError(inFileOrder(st.problems.items), ExitCode.invalidInput);
  return { file: displayPath(abs, cwd), plays };
}

/**
 * Problems sorted as a reader meets them: files in the order they were first reported, then by
 * line and column (checks that need the whole play, like notify, report late otherwise).
 */
function inFileOrder(problems: readonly Problem[]): Problem[] {
  const fileRank = new Map<string, number>();
  for (const p of problems) if (p.loc && !fileRank.has(p.loc.file)) fileRank.set(p.loc.file, fileRank.size);
  const rank = (p: Problem): [number, number, number] => (p.loc ? [fileRank.get(p.loc.file)!, p.loc.line, p.loc.col] : [-1, 0, 0]);
  return problems
    .map((p, i) => ({ p, i, r: rank(p) }))
    .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || a.r[2] - b.r[2] || a.i - b.i)
    .map((x) => x.p);
}

/** Every play's `hosts:` as written, with its location, for checking against the inventory. */
export function playHostPatterns(pb: Playbook): { pattern: string; loc: SourceLocation }[] {
  return pb.plays.map((p) => ({ pattern: p.hosts, loc: p.hostsLoc ?? p.loc }));
}

async function loadPlaysFromFile(
  abs: string,
  stack: readonly string[],
  ref: SourceLocation | undefined,
  st: LoadState,
  onFirstPlay?: (entry: unknown) => void,
): Promise<Play[]> {
  const read = await readYamlFile(abs, st.cwd, 'playbook', ref);
  if (!read.ok) {
    st.problems.addAll(read.problems);
    return [];
  }
  const src = read.src;
  const value = src.value;
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) {
    st.problems.add({ loc: { file: src.file, line: 1, col: 1 }, message: 'the playbook is empty', hint: 'a playbook is a list of plays, e.g. - hosts: all' });
    return [];
  }
  if (!Array.isArray(value)) {
    st.problems.add({
      loc: locate(src, []),
      message: `a playbook must be a list of plays (got ${describeValue(value)})`,
      hint: isMapping(value) && 'hosts' in value ? 'start the play with "- ", e.g. - hosts: all' : 'start each play with "- ", e.g. - hosts: all',
    });
    return [];
  }
  onFirstPlay?.(value[0]);
  const plays: Play[] = [];
  for (const [i, entry] of value.entries()) {
    const where: Where = { src, path: [i], stack };
    if (isMapping(entry) && 'import_playbook' in entry) {
      plays.push(...(await importPlaybook(entry, where, i + 1, st)));
    } else {
      const play = await loadPlay(entry, where, i + 1, st);
      if (play) plays.push(play);
    }
  }
  return plays;
}

/**
 * `- import_playbook: other.yml` (+ vars, when, tags, name). Its vars override the imported
 * plays' vars (as in Ansible), its tags are added to theirs, and its `when` guards every task
 * of those plays (each task list is wrapped in a Block carrying the condition).
 */
async function importPlaybook(entry: Mapping, where: Where, index: number, st: LoadState): Promise<Play[]> {
  const { src, path } = where;
  const name = typeof entry['name'] === 'string' ? entry['name'] : undefined;
  const context = name !== undefined ? `import_playbook "${name}"` : `import_playbook #${index}`;
  const before = st.problems.size;
  for (const p of checkSchema(importPlaybookSchema, entry, {
    src,
    at: path,
    context,
    unknownKey: (k) => ({
      message: `unknown keyword "${k}" for import_playbook`,
      hint: 'an import_playbook entry takes only name, vars, when and tags; play keywords belong in the imported file',
    }),
  })) {
    st.problems.add(p);
  }
  checkVarNames(entry['vars'], { ...where, path: [...path, 'vars'] }, context, st);
  const file = entry['import_playbook'];
  if (typeof file !== 'string' || file === '' || st.problems.size > before) return [];
  const ref = locate(src, [...path, 'import_playbook']);
  if (isTemplate(file)) {
    st.problems.add({ loc: ref, context, message: 'import_playbook: the file name cannot be a template', hint: 'imported playbooks are read when the playbook loads, before any variable is known' });
    return [];
  }
  const abs = absolutePath(file, dirname(src.abs));
  const chain = [...where.stack, src.abs];
  if (chain.includes(abs)) {
    st.problems.add({ loc: ref, context, message: `import cycle: ${cycleText(chain, abs, st.cwd)}`, hint: 'a file cannot import itself, directly or through other files' });
    return [];
  }
  const plays = await loadPlaysFromFile(abs, chain, ref, st);
  const vars = mappingOrEmpty(entry['vars']);
  const tags = tagList(entry['tags']);
  const when = conditions(entry['when']);
  const loc = locate(src, path);
  return plays.map((p) => ({
    ...p,
    vars: { ...p.vars, ...vars },
    tags: [...p.tags, ...tags.filter((t) => !p.tags.includes(t))],
    ...(when.length > 0
      ? { preTasks: guarded(p.preTasks, when, loc), tasks: guarded(p.tasks, when, loc), postTasks: guarded(p.postTasks, when, loc) }
      : {}),
  }));
}

function guarded(nodes: readonly TaskNode[], when: readonly string[], loc: SourceLocation): TaskNode[] {
  if (nodes.length === 0) return [];
  const block: Block = { kind: 'block', loc, when, tags: [], vars: {}, block: nodes, rescue: [], always: [] };
  return [block];
}
