/**
 * A task's module arguments at load time: the value under the module key (a mapping, nothing,
 * or a free-form string for modules with `freeForm`) merged with the task's `args:` keyword, then
 * checked against the module's JSON schema. Strings holding `{{` are forgiven here (they are
 * rendered per host later and checked again then). Every argument remembers where it was
 * written, so an error in an `args:` value points at that line, not at the module key.
 */
import type { Problem } from '../errors/k3play-error.js';
import type { SourceLocation } from '../errors/source-location.js';
import { locate } from '../errors/yaml-source.js';
import { didYouMean } from '../errors/did-you-mean.js';
import { IDENTIFIER_HINT, isIdentifier, isMapping, type Mapping } from './keyword-values.js';
import type { LoadState, ModuleArgsSpec, Where } from './load-state.js';
import { checkSchema, describeValue } from './schema-problems.js';
import type { DocPath } from './yaml-file.js';

export interface ResolvedArgs {
  readonly args: Mapping;
  readonly argsLoc: SourceLocation;
}

export function resolveArgs(
  st: LoadState,
  spec: ModuleArgsSpec,
  module: string,
  task: Mapping,
  where: Where,
  context: string,
): ResolvedArgs {
  const { src, path } = where;
  const modulePath: DocPath = [...path, module];
  const argsLoc = locate(src, modulePath);
  const value = task[module];
  const args: Mapping = {};
  const origin = new Map<string, DocPath>();
  const add = (problem: Problem): void => st.problems.add({ context, ...problem });

  if (typeof value === 'string' && spec.freeForm) {
    args[spec.freeForm] = value;
    origin.set(spec.freeForm, modulePath);
  } else if (typeof value === 'string') {
    add({ loc: argsLoc, message: `args: module ${module} takes a mapping of arguments, not a string`, hint: freeFormHint(module, value, spec) });
    return { args, argsLoc };
  } else if (isMapping(value)) {
    for (const [k, v] of Object.entries(value)) {
      args[k] = v;
      origin.set(k, [...modulePath, k]);
    }
  } else if (value !== null && value !== undefined) {
    add({ loc: argsLoc, message: `args: must be a mapping of arguments (got ${describeValue(value)})`, hint: exampleHint(module, spec) });
    return { args, argsLoc };
  }
  // `args:` is merged under the inline arguments (inline wins, as in Ansible).
  if (isMapping(task['args'])) {
    for (const [k, v] of Object.entries(task['args'])) {
      if (k in args) continue;
      args[k] = v;
      origin.set(k, [...path, 'args', k]);
    }
  }

  for (const p of checkSchema(spec.args, args, {
    src,
    at: modulePath,
    context,
    rootLabel: 'args',
    forgiveTemplates: true,
    docPath: (p) => {
      const first = p[0];
      const base = first !== undefined ? origin.get(String(first)) : undefined;
      return base ? [...base, ...p.slice(1)] : [...modulePath, ...p];
    },
    unknownKey: (key, parent, known) =>
      parent.length === 0
        ? { message: `unknown argument "${key}" for module ${module}`, hint: didYouMean(key, known) ?? `run "k3play modules ${module}" for its arguments` }
        : { message: `unknown key "${key}"`, ...optionalHint(didYouMean(key, known)) },
    missingKey: (key, parent) =>
      parent.length === 0
        ? { message: `missing required argument "${key}"`, hint: `add ${key}: to the task's arguments (see: k3play modules ${module})` }
        : { message: `missing required key "${key}"`, hint: `add ${key}: under ${parent.join('.')}` },
  })) {
    add(p);
  }
  checkActionExtras(st, module, args, origin, where, context);
  return { args, argsLoc };
}

/** Engine-action rules that a JSON schema would word badly. */
function checkActionExtras(st: LoadState, module: string, args: Mapping, origin: Map<string, DocPath>, where: Where, context: string): void {
  const at = (k: string): SourceLocation => locate(where.src, origin.get(k) ?? [...where.path, module], 'key');
  if (module === 'set_fact') {
    for (const k of Object.keys(args)) {
      if (!isIdentifier(k)) st.problems.add({ loc: at(k), context, message: `args: "${k}" is not a valid variable name`, hint: IDENTIFIER_HINT });
    }
    if (Object.keys(args).filter((k) => k !== 'cacheable').length === 0) {
      st.problems.add({ loc: locate(where.src, [...where.path, module], 'key'), context, message: 'args: set_fact needs at least one variable', hint: 'e.g. set_fact: {k3s_url: "https://{{ vip }}:6443"}' });
    }
  }
  if (module === 'debug' && 'msg' in args && 'var' in args) {
    st.problems.add({ loc: at('var'), context, message: 'args: give either "msg" or "var", not both', hint: 'msg prints a text, var prints one variable by name' });
  }
}

function optionalHint(hint: string | undefined): { hint?: string } {
  return hint ? { hint } : {};
}

/** `file: path=/tmp/x state=touch` -> `write a mapping: file: {path: /tmp/x, state: touch}`. */
function freeFormHint(module: string, value: string, spec: ModuleArgsSpec): string {
  const pairs = [...value.matchAll(/(\w+)=("[^"]*"|'[^']*'|\S+)/g)];
  if (pairs.length > 0) {
    return `key=value strings are not supported; write a mapping: ${module}: {${pairs.map((m) => `${m[1]}: ${m[2]}`).join(', ')}}`;
  }
  return exampleHint(module, spec);
}

function exampleHint(module: string, spec: ModuleArgsSpec): string {
  const required = (spec.args['required'] as string[] | undefined) ?? [];
  const props = Object.keys((spec.args['properties'] as object | undefined) ?? {});
  const first = required[0] ?? props[0];
  return first ? `write the arguments as a mapping, e.g. ${module}: {${first}: ...}` : `write the arguments as a mapping under "${module}:"`;
}
