/**
 * Argument schema of the `command` module. Exactly one of `cmd` / `argv` is required; that rule
 * is checked in index.ts (a TaskFailure with a clear message), not with a schema `oneOf`, whose
 * ajv errors ("must match exactly one schema in oneOf") do not tell the user what to do.
 */
import type { SchemaObject } from 'ajv';

export interface CommandArgs {
  cmd?: string;
  argv?: string[];
  creates?: string;
  removes?: string;
  chdir?: string;
  stdin?: string;
}

export const commandArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    cmd: {
      type: 'string',
      description:
        'Command line run through `/bin/sh -c`, so pipes, redirections, globs and $VARS work (like Ansible\'s `shell` module, not its `command`). Values templated into it are NOT quoted: prefer `argv` for untrusted data.',
    },
    argv: {
      type: 'array',
      items: { type: 'string' },
      minItems: 1,
      description: 'Program and arguments, run directly with no shell (nothing is expanded or split). Use instead of `cmd`.',
    },
    creates: {
      type: 'string',
      description: 'A path; when it exists, the command is skipped (not run, not changed). Relative paths are relative to `chdir`.',
    },
    removes: {
      type: 'string',
      description: 'A path; when it does NOT exist, the command is skipped. Relative paths are relative to `chdir`.',
    },
    chdir: { type: 'string', description: 'Directory to run the command in.' },
    stdin: { type: 'string', description: 'Text fed to the command on standard input.' },
  },
};
