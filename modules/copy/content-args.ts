/**
 * Schema fragments and checks shared by the file-content modules: the attribute arguments
 * (mode, owner, group), `backup` and `validate`, and the absolute-path rule. Pure; no I/O.
 */
import type { SchemaObject } from 'ajv';
import { TaskFailure } from '../../src/module-api/index.js';
import { normalizeMode } from '../file/file-mode.js';

export interface AttrArgs {
  mode?: string | number;
  owner?: string;
  group?: string;
}

export interface WriteArgs extends AttrArgs {
  backup?: boolean;
  validate?: string;
}

export const attrProperties: Record<string, SchemaObject> = {
  mode: {
    anyOf: [{ type: 'string' }, { type: 'integer' }],
    description:
      'Permissions as an octal string: "0644". Quote it (an unquoted 644 or 0644 is read as "0644"). Default: an existing file keeps its mode; a new file gets 0644.',
  },
  owner: { type: 'string', description: 'User name (or uid) that should own the file. Default: an existing file keeps its owner; a new one belongs to the connecting (or become) user.' },
  group: { type: 'string', description: 'Group name (or gid) of the file. Default: kept, as for owner.' },
};

export const writeProperties: Record<string, SchemaObject> = {
  ...attrProperties,
  backup: {
    type: 'boolean',
    default: false,
    description: 'Before changing the content, copy the old file to `PATH.<YYYYmmddHHMMSS>~` (the time is taken on the host when the change is applied).',
  },
  validate: {
    type: 'string',
    description:
      'Command that checks the new content before it replaces the file; `%s` is the path of a staged copy, e.g. "haproxy -c -f %s" or "visudo -cf %s". If it fails, nothing is written and the task fails with its output.',
  },
};

/** Absolute path without trailing slashes; TaskFailure otherwise. */
export function absolutePath(path: string, arg: string): string {
  if (!path.startsWith('/')) throw new TaskFailure(`${arg} "${path}" is not absolute`, `${arg} must start with /`);
  const p = path.replace(/\/+$/, '');
  if (p === '') throw new TaskFailure(`${arg} cannot be /`);
  return p;
}

export interface WantedAttrs {
  readonly mode: string | undefined;
  readonly owner: string | undefined;
  readonly group: string | undefined;
  readonly backup: boolean;
  readonly validate: string | undefined;
}

export function wantedAttrs(args: WriteArgs): WantedAttrs {
  if (args.validate !== undefined && !args.validate.includes('%s')) {
    throw new TaskFailure(`validate "${args.validate}" has no %s`, 'write %s where the command expects the file to check, e.g. validate: "haproxy -c -f %s"');
  }
  return { mode: normalizeMode(args.mode), owner: args.owner, group: args.group, backup: args.backup ?? false, validate: args.validate };
}
