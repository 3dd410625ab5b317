/**
 * The shape of a playbook as JSON Schemas (ajv): a play, an import_playbook entry, the keywords
 * of a task and of a block, and the small argument schemas of the engine actions. The loader
 * applies them node by node (a task's module key is not a keyword, so it is split off first).
 * Semantic checks that ajv would word poorly (serial, notify, register names, one module per
 * task) live in the loader, not here. Keyword lists for "did you mean" derive from these schemas.
 */
import type { SchemaObject } from 'ajv';
import type { EngineAction } from './types.js';

const condition = { type: ['string', 'boolean', 'array'], items: { type: ['string', 'boolean'] } };
const stringList = { type: ['string', 'array'], items: { type: 'string' } };
const tags = { type: ['string', 'number', 'array'], items: { type: ['string', 'number'] } };
const mapping = { type: ['object', 'null'] };
const taskList = { type: ['array', 'null'] };

/** Keywords valid on tasks, blocks and task imports (TaskCommon). */
const commonKeywords = {
  name: { type: 'string' },
  when: condition,
  tags,
  become: { type: 'boolean' },
  become_user: { type: 'string' },
  ignore_errors: { type: 'boolean' },
  no_log: { type: 'boolean' },
  check_mode: { type: 'boolean' },
  environment: mapping,
  vars: mapping,
  delegate_to: { type: 'string' },
  run_once: { type: 'boolean' },
  any_errors_fatal: { type: 'boolean' },
};

export const taskKeywordsSchema: SchemaObject = {
  type: 'object',
  properties: {
    ...commonKeywords,
    loop: {},
    with_items: {},
    loop_control: {
      type: 'object',
      properties: {
        loop_var: { type: 'string', minLength: 1 },
        label: { type: 'string' },
        index_var: { type: 'string', minLength: 1 },
        pause: { type: 'number', minimum: 0 },
      },
      additionalProperties: false,
    },
    register: { type: 'string' },
    notify: stringList,
    listen: stringList,
    changed_when: condition,
    failed_when: condition,
    until: condition,
    retries: { type: 'integer', minimum: 0 },
    delay: { type: 'number', minimum: 0 },
    args: mapping,
  },
  additionalProperties: false,
};

export const blockKeywordsSchema: SchemaObject = {
  type: 'object',
  properties: { ...commonKeywords, block: taskList, rescue: taskList, always: taskList },
  additionalProperties: false,
};

/** `import_tasks:` / `include_tasks:` entries: the common keywords plus the file. */
export const taskImportSchema: SchemaObject = {
  type: 'object',
  properties: { ...commonKeywords, import_tasks: { type: 'string', minLength: 1 }, include_tasks: { type: 'string', minLength: 1 } },
  additionalProperties: false,
};

export const playSchema: SchemaObject = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    hosts: { type: ['string', 'array'], items: { type: 'string' }, minLength: 1, minItems: 1 },
    vars: mapping,
    vars_files: stringList,
    gather_facts: { enum: [true, false, 'smart'] },
    become: { type: 'boolean' },
    become_user: { type: 'string' },
    become_method: { type: 'string' },
    serial: { type: ['integer', 'string', 'array'], items: { type: ['integer', 'string'] } },
    max_fail_percentage: { type: 'number', minimum: 0, maximum: 100 },
    any_errors_fatal: { type: 'boolean' },
    order: { enum: ['inventory', 'reverse_inventory', 'sorted', 'reverse_sorted', 'shuffle'] },
    strategy: { enum: ['linear', 'free'] },
    tags,
    environment: mapping,
    pre_tasks: taskList,
    tasks: taskList,
    post_tasks: taskList,
    handlers: taskList,
  },
  required: ['hosts'],
  additionalProperties: false,
};

export const importPlaybookSchema: SchemaObject = {
  type: 'object',
  properties: { import_playbook: { type: 'string', minLength: 1 }, name: { type: 'string' }, vars: mapping, when: condition, tags },
  required: ['import_playbook'],
  additionalProperties: false,
};

export const META_ACTIONS = ['flush_handlers', 'end_play', 'end_host', 'clear_facts', 'clear_host_errors', 'noop'] as const;

/**
 * Argument schemas of the engine actions, in the same shape as a module entry of LoadContext.
 * `meta: flush_handlers` is free-form and loads as `{action: "flush_handlers"}`.
 */
export const engineActionArgs: Readonly<Record<EngineAction, { args: SchemaObject; freeForm?: string }>> = {
  set_fact: { args: { type: 'object', properties: { cacheable: { type: 'boolean' } } } },
  assert: {
    args: {
      type: 'object',
      properties: { that: condition, fail_msg: { type: 'string' }, msg: { type: 'string' }, success_msg: { type: 'string' }, quiet: { type: 'boolean' } },
      required: ['that'],
      additionalProperties: false,
    },
  },
  fail: { args: { type: 'object', properties: { msg: { type: 'string' } }, additionalProperties: false } },
  debug: {
    args: { type: 'object', properties: { msg: {}, var: { type: 'string', minLength: 1 }, verbosity: { type: 'integer', minimum: 0 } }, additionalProperties: false },
  },
  pause: {
    args: {
      type: 'object',
      properties: { seconds: { type: ['number', 'string'] }, minutes: { type: ['number', 'string'] }, prompt: { type: 'string' }, echo: { type: 'boolean' } },
      additionalProperties: false,
    },
  },
  meta: {
    args: { type: 'object', properties: { action: { enum: [...META_ACTIONS] } }, required: ['action'], additionalProperties: false },
    freeForm: 'action',
  },
};

function keysOf(schema: SchemaObject): readonly string[] {
  return Object.keys((schema['properties'] as Record<string, unknown> | undefined) ?? {});
}

export const PLAY_KEYWORDS = keysOf(playSchema);
export const TASK_KEYWORDS = keysOf(taskKeywordsSchema);
export const BLOCK_KEYWORDS = keysOf(blockKeywordsSchema);
/** Keywords a block or a task import accepts (everything a Block node carries). */
export const COMMON_KEYWORDS: readonly string[] = Object.keys(commonKeywords);
