/** Argument schema of the `shell` module (the command module's cmd/creates/removes/chdir/stdin, plus executable). */
import type { SchemaObject } from 'ajv';

export interface ShellArgs {
  cmd: string;
  creates?: string;
  removes?: string;
  chdir?: string;
  stdin?: string;
  executable?: string;
}

export const DEFAULT_SHELL = '/bin/sh';

export const shellArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['cmd'],
  properties: {
    cmd: {
      type: 'string',
      minLength: 1,
      description: 'Command line run through the shell, so pipes, redirections, globs and $VARS work. Values templated into it are NOT quoted: use `command` with `argv` for untrusted data.',
    },
    creates: { type: 'string', description: 'A path; when it exists, the command is skipped (not run, not changed). Relative paths are relative to `chdir`.' },
    removes: { type: 'string', description: 'A path; when it does NOT exist, the command is skipped. Relative paths are relative to `chdir`.' },
    chdir: { type: 'string', description: 'Directory to run the command in.' },
    stdin: { type: 'string', description: 'Text fed to the command on standard input.' },
    executable: { type: 'string', pattern: '^/', default: DEFAULT_SHELL, description: 'Shell that runs `cmd` as `EXECUTABLE -c CMD`, e.g. /bin/bash for `set -o pipefail`. Default /bin/sh.' },
  },
};

