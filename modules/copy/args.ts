/**
 * Argument schema of the `copy` module. "Exactly one of content/src" and the absolute-dest rule
 * are checked in index.ts with a TaskFailure that says what to do.
 */
import type { SchemaObject } from 'ajv';
import type { Secret } from '../../src/module-api/index.js';
import { writeProperties, type WriteArgs } from './content-args.js';

export interface CopyArgs extends WriteArgs {
  dest: string;
  /** A Secret after the engine wraps secretArgs; bytes after `prepare` read `src`. */
  content?: string | Secret | Buffer;
  src?: string;
  force?: boolean;
}

export const copyArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['dest'],
  properties: {
    dest: {
      type: 'string',
      minLength: 1,
      description: 'Absolute path of the file on the host. Ending in / (with src): the file keeps the name of src inside that directory.',
    },
    content: {
      type: 'string',
      description: 'The file content, written exactly as given (no newline is added). When the value is a secret (a vault value or secret variable), diffs show "(secret content changed)", never the text. Give content or src.',
    },
    src: {
      type: 'string',
      minLength: 1,
      description:
        'A file on the controller, copied byte for byte (binary is fine). Relative paths resolve against the playbook directory\'s files/ subdirectory, then the playbook directory. Directories are not supported yet.',
    },
    force: {
      type: 'boolean',
      default: true,
      description: 'true: replace the file when its content differs. false: write it only when it does not exist (mode/owner/group are still enforced).',
    },
    ...writeProperties,
  },
};
