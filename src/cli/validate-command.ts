/**
 * `k3play validate`: load and validate the playbook (and the inventory when given) with every
 * problem reported at once; never connects to a host.
 */
import { ExitCode, isK3playError, K3playError } from '../errors/k3play-error.js';
import { loadInventory } from '../inventory/load-inventory.js';
import { loadPlaybook } from '../playbook/load-playbook.js';
import { validateHostPatterns } from '../validate-hosts.js';
import { moduleRegistry } from '../../modules/index.js';
import { parseExtraVars } from './extra-vars.js';
import { initVaultKeyring, type VaultPasswordOptions } from '../vault/vault-password.js';

export async function validateCommand(playbook: string, o: { inventory: string[]; extraVars: string[] } & VaultPasswordOptions): Promise<number> {
  await initVaultKeyring(o);
  await parseExtraVars(o.extraVars);
  const [pbResult, invResult] = await Promise.allSettled([
    loadPlaybook(playbook, { modules: moduleRegistry }),
    o.inventory.length > 0 ? loadInventory(o.inventory) : Promise.resolve(undefined),
  ]);
  // Report the problems of both files at once, not just the first file's.
  const failures = [pbResult, invResult].filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
  if (failures.length > 0) {
    if (failures.every(isK3playError)) throw new K3playError(failures.flatMap((e) => e.problems));
    throw failures.find((e) => !isK3playError(e));
  }
  const pb = (pbResult as PromiseFulfilledResult<Awaited<ReturnType<typeof loadPlaybook>>>).value;
  const inv = (invResult as PromiseFulfilledResult<Awaited<ReturnType<typeof loadInventory>> | undefined>).value;
  if (inv) validateHostPatterns(pb, inv);
  const tasks = pb.plays.reduce((n, p) => n + p.tasks.length + p.preTasks.length + p.postTasks.length + p.handlers.length, 0);
  process.stdout.write(`${playbook}: valid (${pb.plays.length} play${pb.plays.length === 1 ? '' : 's'}, ${tasks} top-level tasks)${inv ? `, inventory: ${inv.hosts.size} hosts` : ''}\n`);
  return ExitCode.ok;
}
