/**
 * Argument schema of the `template` module. `content` is not a user argument: `prepare`
 * fills it with the rendered text.
 */
import type { SchemaObject } from 'ajv';
import { writeProperties, type WriteArgs } from '../copy/content-args.js';

export interface TemplateArgs extends WriteArgs {
  src: string;
  dest: string;
  force?: boolean;
  /** Set by prepare: the rendered template. */
  content?: string;
}

export const templateArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['src', 'dest'],
  properties: {
    src: {
      type: 'string',
      minLength: 1,
      description:
        'Template file on the controller (Handlebars, strict: an undefined variable is an error; see `{{ var }}`, `{{#each}}`, `{{#if}}` in the template docs). Relative paths resolve against the playbook directory\'s templates/ subdirectory, then the playbook directory.',
    },
    dest: { type: 'string', minLength: 1, description: 'Absolute path of the file on the host.' },
    force: {
      type: 'boolean',
      default: true,
      description: 'true: replace the file when its content differs. false: write it only when it does not exist (mode/owner/group are still enforced).',
    },
    ...writeProperties,
  },
};
