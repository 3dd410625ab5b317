/**
 * Argument schema of the `file` module. Cross-argument rules the schema cannot say well
 * (absolute path, mode syntax, src only with state: link) are checked in plan-file.ts with a
 * TaskFailure that says what to do. `recurse` is not supported in this version.
 */
import type { SchemaObject } from 'ajv';

export type FileState = 'file' | 'directory' | 'absent' | 'link' | 'touch';

export interface FileArgs {
  path: string;
  state?: FileState;
  mode?: string | number;
  owner?: string;
  group?: string;
  src?: string;
  force?: boolean;
}

export const fileArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: { type: 'string', minLength: 1, description: 'Absolute path of the file, directory or link to manage.' },
    state: {
      type: 'string',
      enum: ['file', 'directory', 'absent', 'link', 'touch'],
      default: 'file',
      description:
        'file: must already exist, only its attributes are set (fails when missing, like Ansible). directory: create it (with parents) if missing. absent: remove it (a directory with its contents). link: a symbolic link to `src`. touch: create an empty file if missing; an existing file keeps its mtime (Ansible updates it and always reports changed; k3play reports changed only when something changes).',
    },
    mode: {
      anyOf: [{ type: 'string' }, { type: 'integer' }],
      description:
        'Permissions as an octal string: "0644". Quote it. An unquoted number is read by its decimal digits as octal (644 and 0644 -> "0644"), because YAML 1.2 reads `0644` as the decimal 644. Symbolic modes (u+x) are not supported.',
    },
    owner: { type: 'string', description: 'User name (or numeric uid) that should own the path.' },
    group: { type: 'string', description: 'Group name (or numeric gid) of the path.' },
    src: { type: 'string', description: 'Target of the link (state: link only), stored as written (relative targets stay relative).' },
    force: {
      type: 'boolean',
      default: false,
      description: 'state: link only: replace an existing file or EMPTY directory at `path` by the link. Off by default: an existing file is never destroyed unless asked.',
    },
  },
  if: { properties: { state: { const: 'link' } }, required: ['state'] },
  then: { properties: { src: { type: 'string' } }, required: ['src'] },
};
