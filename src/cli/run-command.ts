/**
 * `k3play run`: turns parsed options into a RunRequest, picks reporters for the terminal, and
 * wires Ctrl-C to a clean stop (no new tasks start; running steps finish).
 */
import path from 'node:path';
import { ExitCode } from '../errors/k3play-error.js';
import { JournalReporter } from '../report/journal-reporter.js';
import { chooseReporters, colorEnabled } from '../report/choose-reporter.js';
import { runPlaybookFile } from '../run.js';
import { parseExtraVars } from './extra-vars.js';
import { connectOptions } from './connect-options.js';
import { initVaultKeyring } from '../vault/vault-password.js';

export interface RunCliOptions {
  inventory: string[];
  limit?: string;
  tags: string[];
  skipTags: string[];
  extraVars: string[];
  check: boolean;
  diff: boolean;
  forks: number;
  json: boolean;
  color: boolean;
  factsCache?: string;
  acceptNewHostKeys: boolean;
  verbose: number;
  /** Vault password sources (src/vault/vault-password.ts). */
  vaultPasswordFile?: string[];
  vaultId?: string[];
}

export const splitTags = (v: readonly string[]) => v.flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);

export async function runCommand(playbook: string, o: RunCliOptions): Promise<number> {
  await initVaultKeyring(o);
  const extraVars = await parseExtraVars(o.extraVars);
  const tty = Boolean(process.stdout.isTTY);
  const color = colorEnabled(process.env, tty, o.color === false ? false : undefined);
  const reporters = await chooseReporters({
    json: o.json,
    tty,
    ci: Boolean(process.env['CI']),
    color,
    verbose: o.verbose,
    diff: o.diff,
    out: process.stdout,
    err: process.stderr,
  });
  if (process.env['K3PLAY_NO_JOURNAL'] !== '1') reporters.push(new JournalReporter(path.resolve('.k3play', 'runs')));
  const abort = new AbortController();
  let interrupted = 0;
  const onSigint = () => {
    interrupted++;
    if (interrupted > 1) process.exit(ExitCode.interrupted);
    process.stderr.write('\ninterrupted: finishing running steps, starting no new tasks (Ctrl-C again to quit now)\n');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    return await runPlaybookFile(
      {
        playbook,
        inventories: o.inventory,
        opts: {
          check: o.check,
          diff: o.diff,
          forks: o.forks,
          verbose: o.verbose,
          tags: splitTags(o.tags),
          skipTags: splitTags(o.skipTags),
          extraVars,
          ...(o.limit ? { limit: o.limit } : {}),
          ...(o.factsCache ? { factsCacheDir: o.factsCache } : {}),
          abort: abort.signal,
        },
        connect: connectOptions(o.acceptNewHostKeys, o.inventory),
      },
      reporters,
    );
  } finally {
    process.off('SIGINT', onSigint);
  }
}
