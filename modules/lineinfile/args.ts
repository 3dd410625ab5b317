/**
 * Argument schema of `lineinfile`, and its translation into a LineEdit (regexes compiled,
 * cross-argument rules checked with TaskFailures that say what to do).
 */
import type { SchemaObject } from 'ajv';
import { TaskFailure } from '../../src/module-api/index.js';
import { writeProperties, type WriteArgs } from '../copy/content-args.js';
import type { LineEdit } from './edit-lines.js';
import { compilePattern } from './python-regex.js';

export interface LineinfileArgs extends WriteArgs {
  path: string;
  line?: string;
  regexp?: string;
  state?: 'present' | 'absent';
  insertafter?: string;
  insertbefore?: string;
  create?: boolean;
  backrefs?: boolean;
  firstmatch?: boolean;
}

export const lineinfileArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: { type: 'string', minLength: 1, description: 'Absolute path of the file to edit.' },
    line: { type: 'string', description: 'The line that should be in the file (state: present; required there). With backrefs, \\1 / \\g<name> / $1 refer to groups of regexp.' },
    regexp: {
      type: 'string',
      minLength: 1,
      description:
        'Regular expression (JavaScript syntax; Python\'s (?P<name>..) is accepted) searched in each line. present: the LAST matching line is replaced by `line`. absent: every matching line is removed.',
    },
    state: { type: 'string', enum: ['present', 'absent'], default: 'present', description: 'present: the line is in the file. absent: no line matches regexp (or equals line).' },
    insertafter: {
      type: 'string',
      minLength: 1,
      description: 'When no line matches regexp and `line` is not in the file: insert after the LAST line matching this regular expression; EOF (end, the default) or BOF. No match: at the end.',
    },
    insertbefore: {
      type: 'string',
      minLength: 1,
      description: 'Like insertafter, but before the LAST matching line; BOF inserts at the beginning. No match: at the end.',
    },
    create: { type: 'boolean', default: false, description: 'Create the file when it does not exist (otherwise a missing file is an error for state: present).' },
    backrefs: {
      type: 'boolean',
      default: false,
      description: 'Expand regexp groups in `line`; when regexp matches no line, the file is left unchanged (the line is never added).',
    },
    firstmatch: { type: 'boolean', default: false, description: 'Use the FIRST line matching regexp / insertafter / insertbefore instead of the last.' },
    ...writeProperties,
  },
};

export function lineEdit(args: LineinfileArgs): LineEdit {
  const state = args.state ?? 'present';
  if (args.insertafter !== undefined && args.insertbefore !== undefined) throw new TaskFailure('give insertafter or insertbefore, not both');
  if (state === 'present' && args.line === undefined) throw new TaskFailure('state: present needs line', 'line is the text the file should contain');
  if (state === 'absent' && args.line === undefined && args.regexp === undefined) throw new TaskFailure('state: absent needs regexp or line (what to remove)');
  if (args.backrefs && args.regexp === undefined) throw new TaskFailure('backrefs needs regexp');
  const position = (v: string | undefined, arg: string, words: readonly string[]): RegExp | 'EOF' | 'BOF' | undefined =>
    v === undefined ? undefined : words.includes(v) ? (v as 'EOF' | 'BOF') : compilePattern(v, '', arg);
  return {
    state,
    line: args.line,
    regexp: args.regexp === undefined ? undefined : compilePattern(args.regexp, '', 'regexp'),
    insertafter: position(args.insertafter, 'insertafter', ['EOF', 'BOF']),
    insertbefore: position(args.insertbefore, 'insertbefore', ['BOF']) as RegExp | 'BOF' | undefined,
    backrefs: args.backrefs ?? false,
    firstmatch: args.firstmatch ?? false,
  };
}
