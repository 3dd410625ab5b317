/**
 * Validation that needs both nouns: every play's `hosts:` pattern and --limit must name hosts or
 * groups that exist in the inventory (templated patterns are checked at run time).
 */
import { K3playError, type Problem } from './errors/k3play-error.js';
import { selectHosts } from './inventory/host-pattern.js';
import type { Inventory } from './inventory/types.js';
import type { Playbook } from './playbook/types.js';

export function validateHostPatterns(playbook: Playbook, inventory: Inventory, limit?: string): void {
  const problems: Problem[] = [];
  for (const play of playbook.plays) {
    if (play.hosts.includes('{{')) continue;
    const sel = selectHosts(inventory, play.hosts);
    for (const p of sel.problems) problems.push({ ...p, loc: play.loc, context: `play "${play.name}"` });
  }
  if (limit) {
    const sel = selectHosts(inventory, limit);
    for (const p of sel.problems) problems.push({ ...p, context: '--limit' });
  }
  if (problems.length > 0) throw new K3playError(problems);
}
