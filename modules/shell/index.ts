/**
 * `shell`: command's `cmd` under Ansible's name: a command line run through a shell
 * (/bin/sh -c, or `executable -c`), guarded by creates/removes. A thin layer over the command
 * module's read and pure plan; it owns no logic of its own beyond choosing the shell.
 */
import { defineModule, type Change } from '../../src/module-api/index.js';
import type { CommandArgs } from '../command/args.js';
import { DEFAULT_SHELL, shellArgsSchema, type ShellArgs } from './args.js';
import command, { type CommandCurrent } from '../command/index.js';

/** The equivalent command-module args: /bin/sh -> cmd; another shell -> argv [shell, -c, cmd]. */
export function toCommandArgs(args: ShellArgs): CommandArgs {
  const exe = args.executable ?? DEFAULT_SHELL;
  const { executable: _exe, cmd, ...guards } = args;
  return exe === DEFAULT_SHELL ? { ...guards, cmd } : { ...guards, argv: [exe, '-c', cmd] };
}

export default defineModule<ShellArgs, CommandCurrent>({
  name: 'shell',
  summary: 'Run a command line through a shell (/bin/sh or `executable`), optionally guarded by creates/removes (the command module\'s `cmd`).',
  args: shellArgsSchema,
  freeForm: 'cmd',
  examples: [
    `- name: pipeline with pipefail
  shell:
    cmd: set -o pipefail; journalctl -u k3s | tail -n 50 > /root/k3s-tail.log
    executable: /bin/bash`,
    `- shell: echo hello | tee /tmp/hello`,
  ],
  read: (probe, args) => command.read(probe, toCommandArgs(args)),
  plan(args, current): readonly Change[] {
    const changes = command.plan(toCommandArgs(args), current);
    // Keep the summary the user wrote, not the argv of a non-default shell.
    const summary = `run: ${oneLine(args.cmd)}`;
    return changes.map((c) => ({ ...c, summary }));
  },
});

function oneLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines.length > 1 ? `${lines[0]} …` : (lines[0] ?? '');
}
