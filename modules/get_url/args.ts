/**
 * Argument schema of the `get_url` module. "checksum is required unless force" is checked in
 * plan-get-url.ts with a TaskFailure that says what to do.
 */
import type { SchemaObject } from 'ajv';

export interface GetUrlArgs {
  url: string;
  dest: string;
  checksum?: string;
  mode?: string | number;
  owner?: string;
  group?: string;
  timeout?: number;
  force?: boolean;
}

export const getUrlArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['url', 'dest'],
  properties: {
    url: { type: 'string', pattern: '^(https?|ftp)://', description: 'http(s):// or ftp:// URL, downloaded ON THE HOST with curl (the host needs a route to it).' },
    dest: { type: 'string', pattern: '^/', description: 'Absolute path of the file to write (not a directory). Written atomically: temp file in the same directory, then rename.' },
    checksum: {
      type: 'string',
      pattern: '^sha256:[0-9a-fA-F]{64}$',
      description:
        'Expected digest, "sha256:HEX". Required unless force: true. The download is verified before it replaces dest; a dest that already has this digest is not downloaded again.',
    },
    mode: {
      anyOf: [{ type: 'string', pattern: '^0?[0-7]{3,4}$' }, { type: 'integer' }],
      description: 'Permissions, an octal string such as "0755" (quote it). Default: keep the mode of an existing dest, else 0644.',
    },
    owner: { type: 'string', minLength: 1, description: 'User name (or uid) that owns dest.' },
    group: { type: 'string', minLength: 1, description: 'Group name (or gid) of dest.' },
    timeout: { type: 'integer', minimum: 1, default: 60, description: 'Seconds the whole download may take (curl --max-time).' },
    force: {
      type: 'boolean',
      default: false,
      description: 'Without checksum: download every time (always reported changed). With checksum: no effect (a matching dest is kept).',
    },
  },
};
