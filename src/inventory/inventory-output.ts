/**
 * What `k3play inventory` prints, in ansible-inventory's shapes so existing tooling keeps
 * working:
 *   --list  {"_meta": {"hostvars": {h: vars}}, "all": {"children": [...]},
 *            "g": {"hosts": [...], "children": [...]}}  (empty keys and empty groups left
 *            out, `all` never lists hosts, group vars folded into hostvars)
 *   --graph @all: / |--@servers: / |  |--h1  (children and hosts in definition order)
 *   --host  the host's resolved vars
 * hostvars carry inventory vars only (no magic vars), like ansible-inventory. Note: INI values
 * stay strings (ansible_port="22" where Ansible would print 22). Builds values/text only.
 */
import { requireHost, inventoryVarsPlain } from './host-vars.js';
import type { Inventory } from './types.js';

export interface InventoryGroupJson {
  hosts?: string[];
  children?: string[];
}

export type InventoryListJson = { _meta: { hostvars: Record<string, Record<string, unknown>> } } & Record<string, unknown>;

export function inventoryListJson(inv: Inventory): InventoryListJson {
  const groups: Record<string, InventoryGroupJson> = {};
  const seen = new Set<string>();
  const format = (name: string): void => {
    const g = inv.groups.get(name);
    if (!g) return;
    const entry: InventoryGroupJson = {};
    if (name !== 'all' && g.hosts.length > 0) entry.hosts = [...g.hosts];
    if (g.children.length > 0) entry.children = [...g.children];
    for (const c of g.children) {
      if (!seen.has(c)) {
        seen.add(c);
        format(c);
      }
    }
    if (entry.hosts || entry.children) groups[name] = entry;
  };
  format('all');

  const hostvars: Record<string, Record<string, unknown>> = {};
  for (const h of [...inv.hosts.keys()].sort()) {
    const vars = inventoryVarsPlain(inv, h);
    if (Object.keys(vars).length > 0) hostvars[h] = sortKeysDeep(vars) as Record<string, unknown>;
  }
  const out: Record<string, unknown> = { _meta: { hostvars } };
  for (const k of Object.keys(groups).sort()) out[k] = groups[k];
  return sortKeysDeep(out) as InventoryListJson;
}

/** `ansible-inventory --graph [group]` text (no trailing newline). */
export function inventoryGraph(inv: Inventory, top = 'all'): string {
  const lines: string[] = [];
  const name = (text: string, depth: number): string => (depth > 0 ? `${'  |'.repeat(depth)}--${text}` : text);
  const walk = (group: string, depth: number): void => {
    const g = inv.groups.get(group);
    if (!g) return;
    lines.push(name(`@${group}:`, depth));
    for (const c of g.children) walk(c, depth + 1);
    if (group !== 'all') for (const h of g.hosts) lines.push(name(h, depth + 1));
  };
  walk(top, 0);
  return lines.join('\n');
}

/** `ansible-inventory --host HOST`: the host's resolved inventory vars, keys sorted. */
export function hostVarsJson(inv: Inventory, host: string): Record<string, unknown> {
  requireHost(inv, host);
  return sortKeysDeep(inventoryVarsPlain(inv, host)) as Record<string, unknown>;
}

/** JSON text as ansible-inventory writes it: keys sorted, 4-space indent. */
export function ansibleJsonText(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value), null, 4);
}

function sortKeysDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeysDeep((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}
