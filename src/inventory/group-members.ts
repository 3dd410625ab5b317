/**
 * Questions about the group graph of a loaded Inventory: every host of a group (through
 * children), every group a host belongs to (through parents), and the order Ansible merges a
 * host's groups in (depth, then ansible_group_priority, then name). Pure reads; the graph is
 * acyclic because load-inventory.ts rejects cycles.
 */
import type { Inventory } from './types.js';

/** Hosts of `group` and of all its descendants, in inventory order. `all` -> every host. */
export function groupHostNames(inv: Inventory, group: string): string[] {
  const members = new Set<string>();
  const seen = new Set<string>();
  const walk = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const g = inv.groups.get(name);
    if (!g) return;
    for (const h of g.hosts) members.add(h);
    for (const c of g.children) walk(c);
  };
  walk(group);
  return [...inv.hosts.keys()].filter((h) => members.has(h));
}

/** Groups the host belongs to directly or through children, incl. `all`. */
export function hostGroupNames(inv: Inventory, host: string): Set<string> {
  const parents = parentMap(inv);
  const out = new Set<string>(['all']);
  const stack = [...(inv.hosts.get(host)?.groups ?? [])];
  while (stack.length > 0) {
    const g = stack.pop()!;
    if (out.has(g)) continue;
    out.add(g);
    for (const p of parents.get(g) ?? []) if (!out.has(p)) stack.push(p);
  }
  return out;
}

const parentMaps = new WeakMap<Inventory, ReadonlyMap<string, readonly string[]>>();

/** child -> parents; computed once per inventory (an Inventory is never changed once built). */
export function parentMap(inv: Inventory): ReadonlyMap<string, readonly string[]> {
  let known = parentMaps.get(inv);
  if (!known) parentMaps.set(inv, (known = buildParentMap(inv)));
  return known;
}

function buildParentMap(inv: Inventory): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const g of inv.groups.values()) {
    for (const c of g.children) {
      const list = m.get(c) ?? [];
      list.push(g.name);
      m.set(c, list);
    }
  }
  return m;
}

/** Depth as Ansible counts it: all = 0, a group = 1 + its deepest parent. */
export function groupDepth(inv: Inventory, group: string, parents: ReadonlyMap<string, readonly string[]> = parentMap(inv), memo = new Map<string, number>()): number {
  if (group === 'all') return 0;
  const known = memo.get(group);
  if (known !== undefined) return known;
  memo.set(group, 1); // guards against cycles in a broken graph
  const ps = (parents.get(group) ?? []).filter((p) => p !== group);
  const d = ps.length === 0 ? 1 : 1 + Math.max(...ps.map((p) => groupDepth(inv, p, parents, memo)));
  memo.set(group, d);
  return d;
}

/** ansible_group_priority from the group's vars or group_vars (default 1, as Ansible). */
export function groupPriority(inv: Inventory, group: string): number {
  const g = inv.groups.get(group);
  const raw = g?.fileVars.get('ansible_group_priority')?.value ?? g?.vars.get('ansible_group_priority')?.value;
  const n = Number(raw);
  return raw === undefined || !Number.isFinite(n) ? 1 : n;
}

/** The host's groups in merge order, lowest precedence first: (depth, priority, name). */
export function sortedHostGroups(inv: Inventory, host: string): string[] {
  const parents = parentMap(inv);
  const memo = new Map<string, number>();
  return [...hostGroupNames(inv, host)]
    .map((name) => ({ name, depth: groupDepth(inv, name, parents, memo), prio: groupPriority(inv, name) }))
    .sort((a, b) => a.depth - b.depth || a.prio - b.prio || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((x) => x.name);
}
