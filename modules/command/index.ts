/**
 * `command`: run a command, unless `creates` exists or `removes` is absent. `cmd` runs through
 * /bin/sh -c (Ansible's `shell`); `argv` runs without a shell. A command's effect is unknown to
 * k3play, so its Change is `maybe` (reported changed, not re-checked for convergence).
 * read asks at most one question (one round trip, none without creates/removes); plan is pure.
 */
import { defineModule, rawScript, sh, shellJoin, TaskFailure, type Change, type ExecStep } from '../../src/module-api/index.js';
import { commandArgsSchema, type CommandArgs } from './args.js';

export interface CommandCurrent {
  /** Whether `creates` exists; null when `creates` is not given. */
  readonly createsExists: boolean | null;
  /** Whether `removes` exists; null when `removes` is not given. */
  readonly removesExists: boolean | null;
}

export default defineModule<CommandArgs, CommandCurrent>({
  name: 'command',
  summary: 'Run a command (through /bin/sh like Ansible\'s shell with `cmd`, or without a shell with `argv`), optionally guarded by creates/removes.',
  args: commandArgsSchema,
  freeForm: 'cmd',
  examples: [
    `- name: initialise the database once
  command:
    cmd: /usr/local/bin/init-db --data /var/lib/db && touch /var/lib/db/.done
    creates: /var/lib/db/.done`,
    `- name: run without a shell
  command:
    argv: [systemctl, restart, "{{ service }}"]`,
    `- command: echo hello | tee /tmp/hello`,
  ],

  async read(probe, args) {
    commandToRun(args); // fail early on bad args, before any round trip
    if (args.creates === undefined && args.removes === undefined) return { createsExists: null, removesExists: null };
    const cd = args.chdir === undefined ? sh`` : sh`cd ${args.chdir} || exit 2; `;
    const test = (label: string, path: string | undefined) =>
      path === undefined ? sh`` : sh`if [ -e ${path} ]; then echo ${label}=1; else echo ${label}=0; fi; `;
    const r = await probe.exec(sh`${cd}${test('creates', args.creates)}${test('removes', args.removes)}`);
    if (r.exitCode !== 0) {
      throw new TaskFailure(`cannot check creates/removes: exit ${r.exitCode}: ${r.stderr.trim()}`, args.chdir ? `does chdir ${args.chdir} exist?` : undefined);
    }
    return {
      createsExists: args.creates === undefined ? null : /^creates=1$/m.test(r.stdout),
      removesExists: args.removes === undefined ? null : /^removes=1$/m.test(r.stdout),
    };
  },

  plan(args, current) {
    const cmd = commandToRun(args);
    if (current.createsExists === true) return [];
    if (current.removesExists === false) return [];
    const change: Change = {
      summary: `run: ${oneLine(args.cmd ?? shellJoin(args.argv ?? []))}`,
      steps: [
        {
          kind: 'exec',
          cmd,
          ...(args.stdin !== undefined ? { stdin: args.stdin } : {}),
          ...(args.chdir !== undefined ? { cwd: args.chdir } : {}),
        },
      ],
      maybe: true,
    };
    return [change];
  },
});

/** Exactly one of cmd/argv, as the Command the engine runs. */
export function commandToRun(args: CommandArgs): ExecStep['cmd'] {
  const hasCmd = args.cmd !== undefined && args.cmd.trim() !== '';
  const hasArgv = args.argv !== undefined && args.argv.length > 0;
  if (hasCmd && hasArgv) {
    throw new TaskFailure('command: give either cmd or argv, not both', 'cmd runs through /bin/sh -c; argv runs without a shell');
  }
  if (hasCmd) return rawScript(args.cmd as string);
  if (hasArgv) return args.argv as string[];
  throw new TaskFailure('command: nothing to run: give cmd (a shell command line) or argv (a list)', 'e.g. `command: echo hi` or `command: {argv: [echo, hi]}`');
}

function oneLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines.length > 1 ? `${lines[0]} …` : (lines[0] ?? '');
}
