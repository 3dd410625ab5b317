/**
 * Argument schema of `replace`, and its translation into a ReplaceEdit (patterns compiled,
 * with TaskFailures for bad syntax).
 */
import type { SchemaObject } from 'ajv';
import { writeProperties, type WriteArgs } from '../copy/content-args.js';
import { compilePattern } from '../lineinfile/python-regex.js';
import { sectionSource, type ReplaceEdit } from './edit-replace.js';

export interface ReplaceArgs extends WriteArgs {
  path: string;
  regexp: string;
  replace?: string;
  after?: string;
  before?: string;
}

export const replaceArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['path', 'regexp'],
  properties: {
    path: { type: 'string', minLength: 1, description: 'Absolute path of the file to edit (it must exist).' },
    regexp: {
      type: 'string',
      minLength: 1,
      description: 'Regular expression (JavaScript syntax; Python\'s (?P<name>..) is accepted), multiline: ^ and $ match at every line. Every match is replaced. Make sure the replacement does not match again, or the task never converges.',
    },
    replace: { type: 'string', default: '', description: 'The replacement; \\1, \\g<1>, \\g<name>, $1, $<name> refer to groups of regexp. Default: empty (matches are deleted).' },
    after: { type: 'string', minLength: 1, description: 'Only replace in the text after the first match of this regular expression (. matches newlines).' },
    before: { type: 'string', minLength: 1, description: 'Only replace in the text before the match of this regular expression (with after: the first match after it).' },
    ...writeProperties,
  },
};

export function replaceEdit(args: ReplaceArgs): ReplaceEdit {
  const regexp = compilePattern(args.regexp, 'gm', 'regexp');
  if (args.after !== undefined) compilePattern(args.after, 's', 'after');
  if (args.before !== undefined) compilePattern(args.before, 's', 'before');
  const src = sectionSource(args.after, args.before);
  return { regexp, replace: args.replace ?? '', section: src === undefined ? undefined : compilePattern(src, 'sd', 'after/before') };
}
