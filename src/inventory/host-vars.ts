/**
 * Variable precedence for one host over the inventory levels, keeping every value's source so
 * `k3play inventory --explain HOST VAR` can print the chain. Order, lowest first, as Ansible
 * (VARIABLE_PRECEDENCE defaults + host vars):
 *
 *   1. inline group vars ([g:vars] / YAML vars:) of the host's groups, in group order
 *   2. group_vars/all
 *   3. group_vars/<g> of the other groups, in group order
 *   4. inline host vars (INI host line / YAML host mapping)
 *   5. host_vars/<host>
 *
 * Group order is Ansible's: depth (all = 0, children after parents), then
 * ansible_group_priority, then name. So group_vars/all beats [servers:vars], and any
 * group_vars file beats every inline group var. Play vars, facts and -e are layered on top
 * by the template stage, not here. Pure functions over a frozen Inventory.
 */
import { K3playError } from '../errors/k3play-error.js';
import { formatLocation } from '../errors/source-location.js';
import { didYouMean } from '../errors/did-you-mean.js';
import { groupHostNames, hostGroupNames, sortedHostGroups } from './group-members.js';
import type { Inventory, InventoryHost, SourcedValue, SourcedVars, VarSource } from './types.js';

export interface VarChain {
  readonly value: unknown;
  readonly source: VarSource;
  /** The values this one beat, lowest precedence first. */
  readonly overridden: readonly SourcedValue[];
}

/** Consumed by Ansible when set inline on a group (it sets the priority, it is not a var). */
const INLINE_GROUP_ONLY = 'ansible_group_priority';

export function resolveHostVars(inv: Inventory, host: string): Map<string, VarChain> {
  const h = requireHost(inv, host);
  const groups = sortedHostGroups(inv, host);
  const layers: SourcedVars[] = [];
  for (const g of groups) layers.push(withoutKey(inv.groups.get(g)!.vars, INLINE_GROUP_ONLY));
  layers.push(inv.groups.get('all')!.fileVars);
  for (const g of groups) if (g !== 'all') layers.push(inv.groups.get(g)!.fileVars);
  layers.push(h.vars, h.fileVars);

  const seen = new Map<string, SourcedValue[]>();
  for (const layer of layers) {
    for (const [k, v] of layer) {
      const list = seen.get(k) ?? [];
      list.push(v);
      seen.set(k, list);
    }
  }
  const out = new Map<string, VarChain>();
  for (const [k, list] of seen) {
    const win = list[list.length - 1]!;
    out.set(k, { value: win.value, source: win.source, overridden: list.slice(0, -1) });
  }
  return out;
}

const groupMaps = new WeakMap<Inventory, Record<string, string[]>>();

/** `groups` (group -> its hosts), once per inventory: an Inventory is never changed once built,
 *  and computing it per host made every host's vars cost O(groups x hosts). Shared: read-only. */
function groupsOf(inv: Inventory): Record<string, string[]> {
  let groups = groupMaps.get(inv);
  if (!groups) {
    groups = {};
    for (const g of inv.groups.keys()) groups[g] = groupHostNames(inv, g);
    groupMaps.set(inv, groups);
  }
  return groups;
}

/** Magic variables every host gets, as Ansible names them. */
export function magicVars(inv: Inventory, host: string): Record<string, unknown> {
  requireHost(inv, host);
  const groups = groupsOf(inv);
  return {
    inventory_hostname: host,
    inventory_hostname_short: host.split('.')[0]!,
    group_names: [...hostGroupNames(inv, host)].filter((g) => g !== 'all' && g !== 'ungrouped').sort(),
    groups,
  };
}

/** Inventory vars only (what `ansible-inventory --host` prints), keys sorted. */
export function inventoryVarsPlain(inv: Inventory, host: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const resolved = resolveHostVars(inv, host);
  for (const k of [...resolved.keys()].sort()) out[k] = resolved.get(k)!.value;
  return out;
}

/** Resolved inventory vars plus the magic variables (magic names win). */
export function hostVarsPlain(inv: Inventory, host: string): Record<string, unknown> {
  return { ...inventoryVarsPlain(inv, host), ...magicVars(inv, host) };
}

export function explainVar(inv: Inventory, host: string, varName: string): string {
  const magic = magicVars(inv, host);
  if (varName in magic) return `${varName} = ${show(magic[varName])}\n  magic variable, set by k3play for every host`;
  const chain = resolveHostVars(inv, host).get(varName);
  if (!chain) {
    const dym = didYouMean(varName, [...resolveHostVars(inv, host).keys(), ...Object.keys(magic)]);
    return `${varName} is not defined for host ${host}${dym ? `\n  ${dym}` : ''}`;
  }
  const rows: [string, string, string][] = [
    ['from', describe(chain.source), '<- wins'],
    ...[...chain.overridden].reverse().map((o): [string, string, string] => ['overrides', describe(o.source), `was ${show(o.value)}`]),
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  return [`${varName} = ${show(chain.value)}`, ...rows.map((r) => `  ${r[0].padEnd(w0)} ${r[1].padEnd(w1)}  ${r[2]}`)].join('\n');
}

/** `group_vars/servers.yml:2:14 (group_vars servers)`, `edge-site.ini:22:1 ([all:vars])`. */
export function describe(src: VarSource): string {
  const where = formatLocation(src.loc);
  const yaml = /\.(ya?ml|json)$/i.test(src.loc.file);
  switch (src.level) {
    case 'inventory-group':
      return `${where} (${yaml ? `vars of group ${src.owner}` : `[${src.owner}:vars]`})`;
    case 'inventory-host':
      return `${where} (inventory host ${src.owner})`;
    case 'group_vars':
    case 'host_vars':
      return `${where} (${src.level} ${src.owner})`;
    default:
      return `${where} (${src.level} ${src.owner})`;
  }
}

function show(v: unknown): string {
  return v === undefined ? 'undefined' : JSON.stringify(v);
}

function withoutKey(vars: SourcedVars, key: string): SourcedVars {
  if (!vars.has(key)) return vars;
  const m = new Map(vars);
  m.delete(key);
  return m;
}

export function requireHost(inv: Inventory, host: string): InventoryHost {
  const h = inv.hosts.get(host);
  if (h) return h;
  const dym = didYouMean(host, inv.hosts.keys());
  throw new K3playError({
    message: `no host named ${host} in the inventory`,
    hint: dym ?? `hosts: ${[...inv.hosts.keys()].join(', ') || '(none)'}`,
  });
}
