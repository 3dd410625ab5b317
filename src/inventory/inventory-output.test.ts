import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { K3playError } from '../errors/k3play-error.js';
import { ansibleJsonText, hostVarsJson, inventoryGraph, inventoryListJson } from './inventory-output.js';
import { loadInventory } from './load-inventory.js';
import type { Inventory } from './types.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLE = 'inventories/examples/edge-site.ini';
let inv: Inventory;
beforeAll(async () => {
  inv = await loadInventory([EXAMPLE], { cwd: ROOT });
});

function ansibleInventory(args: string[]): string | undefined {
  try {
    return execFileSync('ansible-inventory', ['-i', EXAMPLE, ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined; // not installed: the hand-written expectations below stand in for it
  }
}

describe('inventoryListJson (ansible-inventory --list)', () => {
  test('groups: empty keys and empty groups left out, all has no hosts', () => {
    const list = inventoryListJson(inv);
    expect(Object.keys(list)).toEqual(['_meta', 'agents', 'all', 'etcd', 'k3s_cluster', 'lb', 'servers']);
    expect(list['all']).toEqual({ children: ['ungrouped', 'k3s_cluster', 'lb', 'etcd'] });
    expect(list['k3s_cluster']).toEqual({ children: ['servers', 'agents'] });
    expect(list['servers']).toEqual({ hosts: ['h1', 'h2', 'h3'] });
    expect(list['lb']).toEqual({ hosts: ['h1', 'h2'] });
    expect(list['ungrouped']).toBeUndefined();
  });

  test('hostvars fold in group vars and files, without magic vars, keys sorted', () => {
    const hv = inventoryListJson(inv)._meta.hostvars;
    expect(Object.keys(hv)).toEqual(['h1', 'h2', 'h3', 'h4', 'h5']);
    expect(hv['h4']).toEqual({
      ansible_become: false,
      ansible_host: '10.231.0.14',
      ansible_user: 'root',
      api_vip: '10.231.0.10',
      cluster_cidr: '10.42.0.0/16',
      cluster_domain: 'cluster.local',
      flannel_backend: 'host-gw',
      k3s_role: 'agent',
      k3s_version: 'v1.28.4+k3s2',
      node_ip_interface: 'eth0',
      node_labels: 'site=lab-a role=edge',
      service_cidr: '10.43.0.0/16',
      system_default_registry: 'registry.lab-a.internal:5000',
    });
    expect(Object.keys(hv['h1']!)).toEqual([...Object.keys(hv['h1']!)].sort());
  });

  test('text is 4-space indented with sorted keys', () => {
    const text = ansibleJsonText(inventoryListJson(inv));
    expect(text.startsWith('{\n    "_meta": {\n        "hostvars": {\n            "h1": {\n                "ansible_become": false,')).toBe(true);
  });

  test('hosts in no group appear under ungrouped', async () => {
    const fx = await loadInventory(['test/fixtures/inventory/multi/site-b'], { cwd: ROOT });
    expect(inventoryListJson(fx)['all']).toEqual({ children: ['ungrouped', 'servers', 'agents'] });
  });

  test('same JSON as ansible-inventory --list, when it is installed', () => {
    const out = ansibleInventory(['--list']);
    if (out === undefined) return;
    const theirs = JSON.parse(out) as Record<string, unknown>;
    const list = inventoryListJson(inv);
    const ours = list as Record<string, unknown>;
    // Same groups and shape; values may differ in type only (Ansible literal-evaluates INI host values).
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    for (const k of Object.keys(theirs)) if (k !== '_meta') expect(ours[k]).toEqual(theirs[k]);
    const hv = (theirs['_meta'] as { hostvars: Record<string, Record<string, unknown>> }).hostvars;
    for (const [h, vars] of Object.entries(hv)) expect(Object.keys(list._meta.hostvars[h]!).sort()).toEqual(Object.keys(vars).sort());
  });
});

describe('inventoryGraph (ansible-inventory --graph)', () => {
  const want = [
    '@all:',
    '  |--@ungrouped:',
    '  |--@k3s_cluster:',
    '  |  |--@servers:',
    '  |  |  |--h1',
    '  |  |  |--h2',
    '  |  |  |--h3',
    '  |  |--@agents:',
    '  |  |  |--h4',
    '  |  |  |--h5',
    '  |--@lb:',
    '  |  |--h1',
    '  |  |--h2',
    '  |--@etcd:',
    '  |  |--h1',
    '  |  |--h2',
    '  |  |--h3',
  ].join('\n');

  test('whole tree', () => expect(inventoryGraph(inv)).toBe(want));
  test('from one group', () => expect(inventoryGraph(inv, 'lb')).toBe('@lb:\n  |--h1\n  |--h2'));
  test('matches ansible-inventory --graph, when it is installed', () => {
    const out = ansibleInventory(['--graph']);
    if (out !== undefined) expect(inventoryGraph(inv)).toBe(out.trimEnd());
  });
});

describe('hostVarsJson (ansible-inventory --host)', () => {
  test('resolved vars of one host', () => {
    expect(hostVarsJson(inv, 'h1')).toMatchObject({ k3s_version: 'v1.29.0+k3s1', keepalived_priority: 100, keepalived_state: 'MASTER', k3s_role: 'server' });
    expect(hostVarsJson(inv, 'h1')).not.toHaveProperty('inventory_hostname');
  });
  test('unknown host', () => expect(() => hostVarsJson(inv, 'nope')).toThrow(K3playError));
});
