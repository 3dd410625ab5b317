/** Argument schema of the `user` module (local accounts through useradd/usermod/userdel). */
import type { SchemaObject } from 'ajv';

export interface UserArgs {
  name: string;
  uid?: number;
  group?: string;
  groups?: string[];
  append?: boolean;
  home?: string;
  shell?: string;
  system?: boolean;
  create_home?: boolean;
  state?: 'present' | 'absent';
  remove?: boolean;
}

export const userArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: '^[a-z_][a-z0-9_.-]*\\$?$', maxLength: 32, description: 'User name.' },
    uid: { type: 'integer', minimum: 0, description: 'Numeric user id. Unset: chosen by useradd on creation, never changed later.' },
    group: { type: 'string', minLength: 1, description: 'Primary group (name or gid); it must exist. Unset on creation: the useradd default (a group named like the user on Debian).' },
    groups: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      uniqueItems: true,
      description: 'Supplementary groups (they must exist). With append: true (default) the user is added to the missing ones; with append: false the list is exactly these.',
    },
    append: {
      type: 'boolean',
      default: true,
      description: 'true (default, unlike Ansible): `groups` are added, other memberships are kept. false: memberships not in `groups` are removed.',
    },
    home: { type: 'string', pattern: '^/', description: 'Home directory path. On an existing user it is changed in /etc/passwd only (files are not moved).' },
    shell: { type: 'string', pattern: '^/', description: 'Login shell, e.g. /usr/sbin/nologin for a service account.' },
    system: { type: 'boolean', default: false, description: 'Create as a system account (uid from the system range, useradd -r). Only used on creation.' },
    create_home: { type: 'boolean', default: true, description: 'Create the home directory on creation (useradd -m); false: useradd -M. Only used on creation.' },
    state: { type: 'string', enum: ['present', 'absent'], default: 'present', description: 'present: the account exists with these attributes; absent: userdel.' },
    remove: { type: 'boolean', default: false, description: 'With state: absent: also delete the home directory and mail spool (userdel -r). Off by default: data is kept.' },
  },
};
