/**
 * One site's Inventory: its inventory paths loaded as `-i` would load them, with the site's
 * variables (from a YAML site list) placed UNDER the inventory's own `[all:vars]`: they are the
 * site's defaults (a bastion, a user), and anything the site's inventory sets wins. Pure over
 * the loaded Inventory (the loader itself is untouched); never mutates its input. Every site
 * also gets `k3play_site` (its name) at that level, for templates and conditions.
 */
import { loadInventory } from '../inventory/load-inventory.js';
import type { Inventory, SourcedValue } from '../inventory/types.js';
import type { Site } from './site-list.js';

export async function loadSiteInventory(site: Site): Promise<Inventory> {
  return withSiteVars(await loadInventory(site.inventories), site);
}

export function withSiteVars(inv: Inventory, site: Site): Inventory {
  const entries: [string, unknown][] = [['k3play_site', site.name], ...Object.entries(site.vars)];
  const all = inv.groups.get('all')!;
  const vars = new Map<string, SourcedValue>();
  for (const [k, value] of entries) vars.set(k, { value, source: { level: 'inventory-group', owner: 'all', loc: site.loc } });
  for (const [k, v] of all.vars) vars.set(k, v);
  const groups = new Map(inv.groups);
  groups.set('all', { ...all, vars });
  return { ...inv, groups };
}
