import { describe, expect, test } from 'vitest';
import { fileOnly } from '../errors/source-location.js';
import { InventoryBuilder } from './inventory-builder.js';
import { parseYamlInventory } from './parse-yaml-inventory.js';
import type { Inventory } from './types.js';

function parse(text: string): { inv: Inventory; problems: readonly { message: string; loc?: unknown }[] } {
  const b = new InventoryBuilder(fileOnly('t.yml'));
  parseYamlInventory(text, 't.yml', b);
  return { inv: b.build(['t.yml']), problems: b.problems.items };
}

describe('parseYamlInventory', () => {
  test('hosts, children, vars keep YAML types and positions', () => {
    const { inv, problems } = parse(
      [
        'all:',
        '  hosts:',
        '    lonely:',
        '  vars:',
        '    k3s_version: v1.28.5+k3s1',
        '    debug: true',
        '  children:',
        '    servers:',
        '      hosts:',
        '        h[1:2]:',
        '          ansible_port: 2222',
        '        h3:2200:',
        '      vars:',
        '        labels: [a, b]',
        '    cluster:',
        '      children:',
        '        servers:',
        '        agents:',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect([...inv.hosts.keys()]).toEqual(['lonely', 'h1', 'h2', 'h3']);
    expect(inv.hosts.get('lonely')!.groups).toEqual(['ungrouped']);
    // servers is listed under all.children, so it is an explicit child of all (as in Ansible).
    expect(inv.groups.get('all')!.children).toEqual(['ungrouped', 'servers', 'cluster']);
    expect(inv.groups.get('cluster')!.children).toEqual(['servers', 'agents']);
    expect(inv.hosts.get('h2')!.vars.get('ansible_port')).toEqual({
      value: 2222,
      source: { level: 'inventory-host', owner: 'h2', loc: { file: 't.yml', line: 11, col: 25 } },
    });
    expect(inv.hosts.get('h3')!.vars.get('ansible_port')!.value).toBe(2200);
    expect(inv.groups.get('all')!.vars.get('debug')!.value).toBe(true);
    expect(inv.groups.get('servers')!.vars.get('labels')!.value).toEqual(['a', 'b']);
    expect(inv.hosts.get('h1')!.loc).toEqual({ file: 't.yml', line: 10, col: 9 });
  });

  test('an empty file declares nothing', () => {
    const { inv, problems } = parse('# nothing yet\n');
    expect(problems).toEqual([]);
    expect(inv.hosts.size).toBe(0);
  });

  test.each([
    ['root is a list', '- h1\n', 'a YAML inventory must be a mapping of groups (usually "all:"), got a list', 1, 1],
    ['group is a string', 'all:\n  children:\n    servers: h1\n', 'group "servers" must be a mapping with hosts, vars or children, got the string "h1"', 3, 14],
    ['hosts is a list', 'all:\n  hosts:\n    - h1\n', 'hosts of group "all" must be a mapping of host names, got a list', 3, 5],
    ['vars is a list', 'all:\n  vars:\n    - a\n', 'vars of group "all" must be a mapping of variables, got a list', 3, 5],
    ['host value is a string', 'all:\n  hosts:\n    h1: 10.0.0.1\n', 'host "h1" in group "all" must be a mapping of variables or empty, got the string "10.0.0.1"', 3, 9],
    ['unexpected key', 'all:\n  host:\n    h1:\n', 'unexpected key "host" in group "all": only hosts, vars and children are allowed', 2, 3],
    ['bad range', 'all:\n  hosts:\n    h[3:1]:\n', 'bad host range "[3:1]" in "h[3:1]": start is greater than end', 3, 5],
    // position as src/errors/yaml-source.ts reports it (the yaml package points after the first key)
    ['duplicate key', 'all:\n  hosts:\n    h1:\n    h1:\n', 'YAML syntax error: Map keys must be unique', 3, 8],
  ])('%s', (_label, text, message, line, col) => {
    const { problems } = parse(text);
    expect(problems).toEqual([expect.objectContaining({ message, loc: { file: 't.yml', line, col } })]);
  });
});
