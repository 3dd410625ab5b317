/**
 * argv -> request -> exit code. Subcommands are imported lazily: `k3play --help` or a run does
 * not pay for loading the lab, listr2 or ssh2 code it does not use (start-up time counts). The only code that reads process.argv (via its caller) or
 * decides exit codes. Each subcommand's work lives in its own file; this one wires commander.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { ExitCode, isK3playError } from '../errors/k3play-error.js';
import { formatError } from '../errors/print-error.js';
import type { RunCliOptions } from './run-command.js';
import type { RolloutCliOptions } from './rollout-command.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const collect = (v: string, prev: string[]) => [...prev, v];

// Vault passwords (src/vault/vault-password.ts), on every command that reads YAML.
const VAULT_FILE_HELP = 'vault password file, or an executable that prints it (also: K3PLAY_VAULT_PASSWORD_FILE)';
const VAULT_ID_HELP = 'LABEL@FILE: a vault id and its password file (repeatable)';
type VaultCliFlags = { vaultPasswordFile: string[]; vaultId: string[] };

const RUN_EXAMPLES = `
Examples:
  k3play run playbooks/ha-embedded.yml -i inventories/edge-site.ini
  k3play run site.yml -i site.ini --check --diff          # show what would change, change nothing
  k3play run site.yml -i site.ini --limit 'servers:!h3' -e k3s_version=v1.28.5+k3s1
  k3play run site.yml -i site.ini --tags prep --forks 20 --json > run.jsonl

Exit codes: 0 ok, 2 a host failed, 3 a host was unreachable, 4 invalid input, 130 interrupted.`;

const ROLLOUT_EXAMPLES = `
Examples:
  k3play rollout site.yml --sites 'inventories/sites/*.ini' --canary 1 --waves 1,10%,100%
  k3play rollout site.yml --sites sites.yml --site-concurrency 20 --max-failed-sites 2%
  k3play rollout site.yml --sites inventories/sites/ --check --diff     # grouped: "412 sites: same 3 changes"
  k3play rollout --resume last                                          # failed and unfinished sites only
  k3play report last --html change-4711.html
  k3play rollout site.yml --sites sites.yml --emit-k8s-job job.yaml --k8s-image registry/k3play:0.1.0

Sites: a glob (quote it), a directory of inventories, or a YAML site list with per-site vars.
Journal: .k3play/rollouts/ID/. Ctrl-C: no new site starts (twice: running sites stop too).
Exit codes: 0 every site ok, 2 a site failed or was not run, 3 only unreachable hosts,
4 invalid input (nothing was run), 130 interrupted.`;

export async function main(argv: readonly string[]): Promise<number> {
  // `k3play ... | head`: a closed pipe is the reader's choice, not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  let exitCode: number = ExitCode.ok;
  let verbose = 0;
  const program = new Command('k3play')
    .description('Declarative playbooks for highly available k3s and kubeadm clusters on edge sites.')
    .version(VERSION, '--version', 'print the version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })
    .addHelpText(
      'after',
      `
Examples:
  k3play run playbooks/node-prep.yml -i inventories/examples/edge-site.ini --check --diff
  k3play validate playbooks/ha-embedded.yml -i inventories/examples/edge-site.ini
  k3play inventory -i inventories/examples/edge-site.ini --graph
  k3play inventory -i inventories/examples/edge-site.ini --explain h1 k3s_version
  k3play modules file
  k3play rollout playbooks/node-prep.yml --sites 'inventories/sites/*.ini' --canary 1
  k3play report last --html report.html

Run "k3play help <command>" for a command's options.`,
    );

  program
    .command('run')
    .description('run a playbook against an inventory')
    .argument('<playbook>', 'playbook YAML file')
    .requiredOption('-i, --inventory <path>', 'inventory file or directory (repeatable)', collect, [])
    .option('-l, --limit <pattern>', "further limit hosts (pattern: names, groups, 'a:&b', 'a:!b', '~regex', @file)")
    .option('-t, --tags <tags>', 'only run tasks with these tags (comma-separated)', collect, [])
    .option('--skip-tags <tags>', 'skip tasks with these tags (comma-separated)', collect, [])
    .option('-e, --extra-vars <vars>', 'set variables: key=value, JSON/YAML mapping, or @file.yml (repeatable)', collect, [])
    .option('-C, --check', 'check mode: read and plan, change nothing', false)
    .option('-D, --diff', 'show unified diffs of file changes', false)
    .option('-f, --forks <n>', 'hosts worked on in parallel', (v) => parsePositiveInt(v, '--forks'), 50)
    .option('--json', 'JSON Lines events on stdout (see README "JSON output")', false)
    .option('--no-color', 'no ANSI colors (also: NO_COLOR=1)')
    .option('--facts-cache <dir>', 'persistent facts cache directory (gather_facts: smart)')
    .option('--accept-new-host-keys', 'trust and record unknown SSH host keys (changed keys are always refused)', false)
    .option('--vault-password-file <file>', VAULT_FILE_HELP, collect, [])
    .option('--vault-id <label@file>', VAULT_ID_HELP, collect, [])
    .option('-v, --verbose', 'more output (repeat: -vvv shows stack traces)', (_v, prev: number) => prev + 1, 0)
    .addHelpText('after', RUN_EXAMPLES)
    .action(async (playbook: string, o: RunCliOptions) => {
      verbose = o.verbose;
      exitCode = await (await import('./run-command.js')).runCommand(playbook, o);
    });

  program
    .command('rollout')
    .description('run a playbook across many sites: canary, waves, failure budget, a resumable journal')
    .argument('[playbook]', 'playbook YAML file (not with --resume)')
    .option('--sites <spec>', "the sites: a glob of inventories ('inventories/sites/*.ini'), a directory, or a YAML site list")
    .option('--site-concurrency <n>', 'sites run at once (default 10)', (v) => parsePositiveInt(v, '--site-concurrency'))
    .option('--canary <n>', 'run the first N sites first; stop everything if one fails', (v) => parseNonNegativeInt(v, '--canary'))
    .option('--waves <sizes>', "wave sizes, counts or % of all sites, the last repeats (e.g. '1,10%,100%'; default 100%)")
    .option('--max-failed-sites <n|p%>', 'failure budget: stop starting sites once more than N sites (P% of sites) failed')
    .option('--resume <id>', 'run the sites (and hosts) of rollout ID that failed or did not finish ("last": the newest)')
    .option('-l, --limit <pattern>', 'further limit hosts in every site (pattern as for run)')
    .option('-t, --tags <tags>', 'only run tasks with these tags (comma-separated)', collect, [])
    .option('--skip-tags <tags>', 'skip tasks with these tags (comma-separated)', collect, [])
    .option('-e, --extra-vars <vars>', 'variables for every site, as for run (repeatable; give them again on --resume)', collect, [])
    .option('-C, --check', 'check mode: read and plan, change nothing; changes grouped across sites', false)
    .option('-D, --diff', 'show unified diffs of file changes (once per group of identical sites)', false)
    .option('-f, --forks <n>', 'hosts worked on in parallel, per site', (v) => parsePositiveInt(v, '--forks'), 50)
    .option('--json', 'JSON Lines rollout events on stdout (docs/rollout.md "JSON output")', false)
    .option('--no-color', 'no ANSI colors (also: NO_COLOR=1)')
    .option('--facts-cache <dir>', 'persistent facts cache directory (one sub-directory per site)')
    .option('--accept-new-host-keys', 'trust and record unknown SSH host keys (changed keys are always refused)', false)
    .option('--journal-dir <dir>', 'where rollout journals live (default .k3play/rollouts)')
    .option('--emit-k8s-job <file>', 'write an Indexed Kubernetes Job (+ ConfigMap) running one pod per site, instead of running ("-": stdout)')
    .option('--k8s-image <image>', 'container image with k3play, for --emit-k8s-job')
    .option('--k8s-namespace <ns>', 'namespace of the emitted Job and ConfigMap')
    .option('--k8s-ssh-secret <name>', 'Secret with the SSH key(s), mounted at /root/.ssh (default k3play-ssh)')
    .option('--k8s-journal-claim <name>', 'ReadWriteMany PersistentVolumeClaim for the journal (default k3play-journal)')
    .option('--k8s-vault-secret <name>', 'Secret with the vault password under key "password" (default k3play-vault)')
    .addOption(new Option('--site-index <n>', 'run only the N-th site (0-based) of --sites: what each pod of the emitted Job runs').argParser((v) => parseNonNegativeInt(v, '--site-index')))
    .addOption(new Option('--rollout-id <id>', 'use this rollout id (the emitted Job gives every pod the same one)').hideHelp())
    .option('--vault-password-file <file>', VAULT_FILE_HELP, collect, [])
    .option('--vault-id <label@file>', VAULT_ID_HELP, collect, [])
    .option('-v, --verbose', 'more output (repeat: -vvv shows stack traces)', (_v, prev: number) => prev + 1, 0)
    .addHelpText('after', ROLLOUT_EXAMPLES)
    .action(async (playbook: string | undefined, o: RolloutCliOptions) => {
      verbose = o.verbose;
      exitCode = await (await import('./rollout-command.js')).rolloutCommand(playbook, { ...o, version: VERSION });
    });

  program
    .command('report')
    .description('summary of a rollout from its journal; --html writes a self-contained report to attach to a change ticket')
    .argument('[id]', 'rollout id, a unique prefix, or "last" (none: list the rollouts)')
    .option('--html <file>', 'write a self-contained HTML report (no external assets) to FILE')
    .option('--json', 'the summary as one JSON document', false)
    .option('--journal-dir <dir>', 'where rollout journals live (default .k3play/rollouts)')
    .option('-D, --diff', 'show the diffs of the grouped changes', false)
    .option('--no-color', 'no ANSI colors (also: NO_COLOR=1)')
    .addHelpText('after', '\nExamples:\n  k3play report                          # list rollouts\n  k3play report last\n  k3play report 20261101-120000-ab12 --html change-4711.html')
    .action(async (id: string | undefined, o: import('./report-command.js').ReportCliOptions) => {
      exitCode = await (await import('./report-command.js')).reportCommand(id, o);
    });

  program
    .command('validate')
    .description('check a playbook and inventory for errors without connecting to any host')
    .argument('<playbook>', 'playbook YAML file')
    .option('-i, --inventory <path>', 'inventory file or directory (repeatable)', collect, [])
    .option('-e, --extra-vars <vars>', 'variables, as for run', collect, [])
    .option('--vault-password-file <file>', VAULT_FILE_HELP, collect, [])
    .option('--vault-id <label@file>', VAULT_ID_HELP, collect, [])
    .option('-v, --verbose', 'more output', (_v, prev: number) => prev + 1, 0)
    .addHelpText('after', '\nExample:\n  k3play validate playbooks/ha-embedded.yml -i inventories/examples/edge-site.ini')
    .action(async (playbook: string, o: { inventory: string[]; extraVars: string[]; verbose: number } & VaultCliFlags) => {
      verbose = o.verbose;
      exitCode = await (await import('./validate-command.js')).validateCommand(playbook, o);
    });

  program
    .command('inventory')
    .description('show an inventory: hosts, groups and variables with their sources')
    .requiredOption('-i, --inventory <path>', 'inventory file or directory (repeatable)', collect, [])
    .addOption(new Option('--list', 'all hosts and groups as JSON (the shape of ansible-inventory --list)'))
    .option('--graph [group]', 'the group tree')
    .option('--host <host>', "one host's variables as JSON")
    .option('--explain <host_var...>', 'HOST VAR: where a variable\'s value comes from, and what it overrides')
    .option('--vault-password-file <file>', VAULT_FILE_HELP, collect, [])
    .option('--vault-id <label@file>', VAULT_ID_HELP, collect, [])
    .addHelpText(
      'after',
      '\nExamples:\n  k3play inventory -i site.ini --graph\n  k3play inventory -i site.ini --list\n  k3play inventory -i site.ini --explain h1 k3s_version',
    )
    .action(async (o: { inventory: string[]; list?: boolean; graph?: string | boolean; host?: string; explain?: string[] } & VaultCliFlags) => {
      exitCode = await (await import('./inventory-command.js')).inventoryCommand(o);
    });

  program
    .command('facts')
    .description("gather a host's facts (one round trip) and print them as YAML")
    .argument('<host>', 'inventory host name')
    .requiredOption('-i, --inventory <path>', 'inventory file or directory (repeatable)', collect, [])
    .option('--ansible', 'also print the ansible_* aliases', false)
    .option('--accept-new-host-keys', 'trust and record unknown SSH host keys', false)
    .option('--vault-password-file <file>', VAULT_FILE_HELP, collect, [])
    .option('--vault-id <label@file>', VAULT_ID_HELP, collect, [])
    .addHelpText('after', '\nExample:\n  k3play facts h1 -i inventories/examples/edge-site.ini')
    .action(async (host: string, o: { inventory: string[]; ansible: boolean; acceptNewHostKeys: boolean } & VaultCliFlags) => {
      await (await import('../vault/vault-password.js')).initVaultKeyring(o);
      const { connectOptions } = await import('./connect-options.js');
      exitCode = await (await import('./facts-command.js')).factsCommand(host, o, connectOptions(o.acceptNewHostKeys, o.inventory));
    });

  const lab = program
    .command('lab')
    .description('real Debian test hosts on this machine (systemd-nspawn + a private bridge), to rehearse runbooks')
    .addHelpText(
      'after',
      `
Examples:
  k3play lab up 5                      # 5 systemd hosts h1..h5 with an inventory and known_hosts
  k3play lab up 3 --topology kubeadm
  k3play lab up 100 --light            # 100 sshd-only hosts for fan-out tests
  k3play lab ssh h1 -- systemctl is-system-running
  k3play lab ip h3 10.231.0.60         # change a running host's address (IP-change rehearsal)
  k3play lab down

Root and Linux only. Teardown is complete and verified; a lab left by a crash is cleaned by the next "up".`,
    );
  const labName = new Option('--name <name>', 'lab name ([a-z][a-z0-9]{0,9})').default('lab');
  lab
    .command('up')
    .description('build the Debian base once (cached), boot N hosts, write inventory.ini and known_hosts')
    .argument('<count>', 'number of hosts')
    .addOption(labName)
    .option('--light', 'sshd-only hosts (no systemd), cheap: for fan-out tests', false)
    .option('--light-hosts <n>', 'add this many light hosts next to the full ones', (v) => parsePositiveInt(v, '--light-hosts'))
    .option('--topology <t>', 'groups in the inventory: default | ha-embedded | external-etcd | kubeadm', 'default')
    .action(async (count: string, o: { name: string; light: boolean; lightHosts?: number; topology: string }) => {
      exitCode = await (await import('./lab-command.js')).labUpCommand(count, o);
    });
  lab
    .command('down')
    .description('stop every host and remove every netns, link, mount and process of the lab, then verify')
    .addOption(labName)
    .action(async (o: { name: string }) => {
      exitCode = await (await import('./lab-command.js')).labDownCommand(o);
    });
  lab
    .command('status')
    .description('hosts, addresses and whether they run')
    .addOption(labName)
    .option('--json', 'as JSON', false)
    .action(async (o: { name: string; json: boolean }) => {
      exitCode = await (await import('./lab-command.js')).labStatusCommand(o);
    });
  lab
    .command('ssh')
    .description('ssh to a lab host (strict host key checking), optionally running a command')
    .argument('<host>', 'lab host, e.g. h1')
    .argument('[command...]', 'command to run')
    .addOption(labName)
    .action(async (host: string, command: string[], o: { name: string }) => {
      exitCode = await (await import('./lab-command.js')).labSshCommandCli(host, command, o);
    });
  lab
    .command('ip')
    .description("change a running host's address (for IP-change rehearsals)")
    .argument('<host>', 'lab host, e.g. h3')
    .argument('<new_ip>', 'new address inside the lab network')
    .addOption(labName)
    .action(async (host: string, ip: string, o: { name: string }) => {
      exitCode = await (await import('./lab-command.js')).labIpCommand(host, ip, o);
    });

  const vault = program
    .command('vault')
    .description('Ansible Vault files and values: encrypt, decrypt, view, edit, encrypt_string (same format as ansible-vault)')
    .addHelpText(
      'after',
      `
Examples:
  k3play vault encrypt group_vars/all/vault.yml --vault-password-file ~/.k3play-vault-pass
  k3play vault edit group_vars/all/vault.yml
  k3play vault view secrets.yml --vault-id prod@prod.pass
  printf %s "$TOKEN" | k3play vault encrypt_string --name k3s_token

Passwords: --vault-password-file FILE, --vault-id LABEL@FILE (repeatable) or K3PLAY_VAULT_PASSWORD_FILE.
The same options make run, validate, inventory and facts read vault files and !vault values.`,
    );
  const vaultCmd = (name: string, description: string) =>
    vault
      .command(name)
      .description(description)
      .option('--vault-password-file <file>', VAULT_FILE_HELP, collect, [])
      .option('--vault-id <label@file>', VAULT_ID_HELP, collect, [])
      .option('--encrypt-vault-id <label>', 'the vault id that encrypts, when several are given');
  type VaultOpts = import('./vault-command.js').VaultCliOptions;
  vaultCmd('encrypt', 'encrypt files in place (a --vault-id label writes format 1.2)')
    .argument('<file...>', 'files to encrypt')
    .action(async (files: string[], o: VaultOpts) => {
      exitCode = await (await import('./vault-command.js')).vaultEncryptCommand(files, o);
    });
  vaultCmd('decrypt', 'decrypt files in place (or to --output FILE, "-" for stdout)')
    .argument('<file...>', 'files to decrypt')
    .option('--output <file>', 'write the plaintext here instead ("-" = stdout)')
    .action(async (files: string[], o: VaultOpts) => {
      exitCode = await (await import('./vault-command.js')).vaultDecryptCommand(files, o);
    });
  vaultCmd('view', 'print the decrypted content on stdout')
    .argument('<file...>', 'files to show')
    .action(async (files: string[], o: VaultOpts) => {
      exitCode = await (await import('./vault-command.js')).vaultViewCommand(files, o);
    });
  vaultCmd('edit', 'decrypt to a private temp file, run $EDITOR, re-encrypt on save')
    .argument('<file>', 'file to edit')
    .action(async (file: string, o: VaultOpts) => {
      exitCode = await (await import('./vault-command.js')).vaultEditCommand(file, o);
    });
  vaultCmd('encrypt_string', 'encrypt the value on stdin into a "NAME: !vault |" YAML snippet')
    .requiredOption('--name <var>', 'the variable name of the snippet')
    .action(async (o: VaultOpts) => {
      exitCode = await (await import('./vault-command.js')).vaultEncryptStringCommand(o);
    });

  program
    .command('modules')
    .description('list the modules, or show the reference of one')
    .argument('[name]', 'module name')
    .addHelpText('after', '\nExamples:\n  k3play modules\n  k3play modules file')
    .action(async (name: string | undefined) => {
      exitCode = await (await import('./modules-command.js')).modulesCommand(name);
    });

  try {
    if (argv.length === 0) {
      program.outputHelp();
      return ExitCode.ok;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors are invalid input.
      return e.exitCode === 0 ? ExitCode.ok : ExitCode.invalidInput;
    }
    process.stderr.write(`${formatError(e, verbose)}\n`);
    return isK3playError(e) ? e.exitCode : ExitCode.internal;
  }
}

function parseNonNegativeInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${flag} must be a whole number (got ${JSON.stringify(v)})`);
  return n;
}

function parsePositiveInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} must be a positive integer (got ${JSON.stringify(v)})`);
  return n;
}
