import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { K3playError } from '../errors/k3play-error.js';
import { explainVar, hostVarsPlain, magicVars, resolveHostVars } from './host-vars.js';
import { sortedHostGroups } from './group-members.js';
import { loadInventory } from './load-inventory.js';
import type { Inventory } from './types.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const P = 'test/fixtures/inventory/precedence';
let inv: Inventory;
let site: Inventory;
beforeAll(async () => {
  inv = await loadInventory([`${P}/site.ini`], { cwd: ROOT });
  site = await loadInventory(['inventories/examples/edge-site.ini'], { cwd: ROOT });
});

describe('resolveHostVars precedence (Ansible order)', () => {
  test.each([
    ['all inline group vars apply', 'h1', 'from_all', 'all-inline', 'inventory-group', 'all'],
    ['child group beats parent group', 'h1', 'depth', 'child', 'inventory-group', 'servers'],
    ['group_vars/all beats [servers:vars]', 'h1', 'gva_vs_inline', 'all-file', 'group_vars', 'all'],
    ['group_vars/servers beats [servers:vars]', 'h2', 'gv_vs_host', 'servers-file', 'group_vars', 'servers'],
    ['inline host var beats group_vars', 'h1', 'gv_vs_host', 'host-inline', 'inventory-host', 'h1'],
    ['host_vars beats inline host var', 'h1', 'hv_vs_host', 'host-file', 'host_vars', 'h1'],
    ['siblings at equal depth: later name wins', 'h1', 'sibling', 'zeta', 'inventory-group', 'zeta'],
    ['ansible_group_priority beats name order', 'h1', 'prio', 'hi', 'inventory-group', 'hi'],
    ['later file of a group_vars dir wins', 'h1', 'dirval', 'second', 'group_vars', 'servers'],
    ['YAML types survive in group_vars', 'h2', 'port', 6443, 'group_vars', 'servers'],
  ])('%s', (_label, host, name, value, level, owner) => {
    const chain = resolveHostVars(inv, host).get(name)!;
    expect(chain.value).toEqual(value);
    expect(chain.source).toMatchObject({ level, owner });
  });

  test('overridden values are kept, lowest first', () => {
    const chain = resolveHostVars(inv, 'h1').get('gv_vs_host')!;
    expect(chain.overridden.map((o) => [o.value, o.source.level])).toEqual([
      ['servers-inline', 'inventory-group'],
      ['servers-file', 'group_vars'],
    ]);
  });

  test('inline ansible_group_priority sets priority and is not a var (as Ansible)', () => {
    expect(resolveHostVars(inv, 'h1').has('ansible_group_priority')).toBe(false);
    expect(sortedHostGroups(inv, 'h1')).toEqual(['all', 'alpha', 'k3s_cluster', 'lo', 'zeta', 'hi', 'servers']);
  });
});

describe('magic vars', () => {
  test('inventory_hostname, group_names, groups', () => {
    const m = magicVars(site, 'h1');
    expect(m['inventory_hostname']).toBe('h1');
    expect(m['group_names']).toEqual(['etcd', 'k3s_cluster', 'lb', 'servers']);
    expect((m['groups'] as Record<string, string[]>)['k3s_cluster']).toEqual(['h1', 'h2', 'h3', 'h4', 'h5']);
    expect((m['groups'] as Record<string, string[]>)['all']).toEqual(['h1', 'h2', 'h3', 'h4', 'h5']);
    expect((m['groups'] as Record<string, string[]>)['ungrouped']).toEqual([]);
  });

  test('inventory_hostname_short cuts at the first dot', () => {
    const fake: Inventory = { ...site, hosts: new Map([['node1.lab.example', { ...site.hosts.get('h1')!, name: 'node1.lab.example', groups: ['ungrouped'] }]]) };
    expect(magicVars(fake, 'node1.lab.example')['inventory_hostname_short']).toBe('node1');
  });

  test('hostVarsPlain merges resolved vars and magic vars', () => {
    const v = hostVarsPlain(site, 'h4');
    expect(v).toMatchObject({ ansible_host: '10.231.0.14', k3s_role: 'agent', k3s_version: 'v1.28.4+k3s2', inventory_hostname: 'h4', group_names: ['agents', 'k3s_cluster'] });
  });

  test('unknown host is a K3playError with a suggestion', () => {
    expect(() => hostVarsPlain(site, 'h11')).toThrow(K3playError);
    try {
      hostVarsPlain(site, 'h11');
    } catch (e) {
      expect((e as K3playError).problems[0]).toMatchObject({ message: 'no host named h11 in the inventory', hint: 'did you mean "h1"?' });
    }
  });
});

describe('explainVar', () => {
  test.each([
    [
      'h1',
      'k3s_version',
      [
        'k3s_version = "v1.29.0+k3s1"',
        '  from      inventories/examples/host_vars/h1.yml:3:14 (host_vars h1)              <- wins',
        '  overrides inventories/examples/group_vars/servers.yml:1:14 (group_vars servers)  was "v1.28.5+k3s1"',
        '  overrides inventories/examples/edge-site.ini:36:1 ([all:vars])                   was "v1.28.4+k3s2"',
      ],
    ],
    ['h4', 'k3s_role', ['k3s_role = "agent"', '  from inventories/examples/edge-site.ini:32:1 ([agents:vars])  <- wins']],
    ['h4', 'ansible_host', ['ansible_host = "10.231.0.14"', '  from inventories/examples/edge-site.ini:18:4 (inventory host h4)  <- wins']],
    ['h1', 'inventory_hostname', ['inventory_hostname = "h1"', '  magic variable, set by k3play for every host']],
    ['h1', 'k3s_versoin', ['k3s_versoin is not defined for host h1', '  did you mean "k3s_version"?']],
  ])('%s %s', (host, name, lines) => {
    expect(explainVar(site, host, name)).toBe(lines.join('\n'));
  });

  test('YAML inventory vars are labelled as group vars', async () => {
    const yml = await loadInventory(['inventories/examples/edge-site.yml'], { cwd: ROOT });
    expect(explainVar(yml, 'h4', 'k3s_role')).toBe('k3s_role = "agent"\n  from inventories/examples/edge-site.yml:27:23 (vars of group agents)  <- wins');
  });
});
