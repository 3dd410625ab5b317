/**
 * `k3play validate`: load and validate the playbook (and the inventory when given) with every
 * problem reported at once; never connects to a host.
 */
import { ExitCode } from '../errors/k3play-error.js';
import { loadInventory } from '../inventory/load-inventory.js';
import { loadPlaybook } from '../playbook/load-playbook.js';
import { validateHostPatterns } from '../validate-hosts.js';
import { moduleRegistry } from '../../modules/index.js';
import { parseExtraVars } from './extra-vars.js';

export async function validateCommand(playbook: string, o: { inventory: string[]; extraVars: string[] }): Promise<number> {
  await parseExtraVars(o.extraVars);
  const [pb, inv] = await Promise.all([
    loadPlaybook(playbook, { modules: moduleRegistry }),
    o.inventory.length > 0 ? loadInventory(o.inventory) : Promise.resolve(undefined),
  ]);
  if (inv) validateHostPatterns(pb, inv);
  const tasks = pb.plays.reduce((n, p) => n + p.tasks.length + p.preTasks.length + p.postTasks.length + p.handlers.length, 0);
  process.stdout.write(`${playbook}: valid (${pb.plays.length} play${pb.plays.length === 1 ? '' : 's'}, ${tasks} top-level tasks)${inv ? `, inventory: ${inv.hosts.size} hosts` : ''}\n`);
  return ExitCode.ok;
}
