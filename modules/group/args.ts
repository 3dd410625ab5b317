/** Argument schema of the `group` module. */
import type { SchemaObject } from 'ajv';

export interface GroupArgs {
  name: string;
  gid?: number;
  system?: boolean;
  state?: 'present' | 'absent';
}

export const groupArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: '^[a-z_][a-z0-9_.-]*\\$?$', maxLength: 32, description: 'Group name.' },
    gid: { type: 'integer', minimum: 0, description: 'Numeric group id. Unset: chosen by groupadd on creation, never changed later.' },
    system: { type: 'boolean', default: false, description: 'Create as a system group (gid from the system range, groupadd -r). Only used on creation.' },
    state: { type: 'string', enum: ['present', 'absent'], default: 'present', description: 'present: the group exists; absent: it is removed (groupdel).' },
  },
};
