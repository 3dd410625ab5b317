import { describe, expect, test } from 'vitest';
import { fileOnly } from '../errors/source-location.js';
import { InventoryBuilder } from './inventory-builder.js';
import { parseIniInventory, splitPort } from './parse-ini.js';
import type { Inventory } from './types.js';

function parse(text: string): { inv: Inventory; problems: readonly { message: string; loc?: unknown }[] } {
  const b = new InventoryBuilder(fileOnly('t.ini'));
  parseIniInventory(text, 't.ini', b);
  const inv = b.build(['t.ini']);
  return { inv, problems: b.problems.items };
}

const hostVars = (inv: Inventory, h: string): Record<string, unknown> =>
  Object.fromEntries([...inv.hosts.get(h)!.vars].map(([k, v]) => [k, v.value]));

describe('parseIniInventory', () => {
  test('hosts before any section are ungrouped; sections, vars and children', () => {
    const { inv, problems } = parse(
      [
        'lonely ansible_host=10.231.0.9',
        '; a comment',
        '[servers]',
        'h1 ansible_host=10.231.0.11   # trailing comment',
        'h2:2222',
        '[cluster:children]',
        'servers',
        'agents',
        '[servers:vars]',
        'k3s_version = v1.28.5+k3s1',
        'motd="hello world"',
        "quoted='a b' # comment",
        'password=abc #1',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect([...inv.hosts.keys()]).toEqual(['lonely', 'h1', 'h2']);
    expect(inv.hosts.get('lonely')!.groups).toEqual(['ungrouped']);
    expect(inv.groups.get('ungrouped')!.hosts).toEqual(['lonely']);
    expect(inv.groups.get('all')!.children).toEqual(['ungrouped', 'cluster']);
    expect(inv.groups.get('all')!.hosts).toEqual(['lonely', 'h1', 'h2']);
    expect(inv.groups.get('cluster')!.children).toEqual(['servers', 'agents']);
    expect(inv.groups.get('agents')!.hosts).toEqual([]);
    expect(hostVars(inv, 'h1')).toEqual({ ansible_host: '10.231.0.11' });
    expect(hostVars(inv, 'h2')).toEqual({ ansible_port: '2222' });
    const gv = Object.fromEntries([...inv.groups.get('servers')!.vars].map(([k, v]) => [k, v.value]));
    expect(gv).toEqual({ k3s_version: 'v1.28.5+k3s1', motd: 'hello world', quoted: 'a b', password: 'abc #1' });
  });

  test('line:col for hosts, groups, children and vars', () => {
    const { inv } = parse('[servers]\n  h1 a=1 b="x y"\n[servers:vars]\nk=v\n[top:children]\n servers\n');
    expect(inv.hosts.get('h1')!.loc).toEqual({ file: 't.ini', line: 2, col: 3 });
    expect(inv.hosts.get('h1')!.vars.get('b')!.source.loc).toEqual({ file: 't.ini', line: 2, col: 10 });
    expect(inv.hosts.get('h1')!.vars.get('b')!.value).toBe('x y');
    expect(inv.groups.get('servers')!.loc).toEqual({ file: 't.ini', line: 1, col: 2 });
    expect(inv.groups.get('servers')!.vars.get('k')!.source).toEqual({ level: 'inventory-group', owner: 'servers', loc: { file: 't.ini', line: 4, col: 1 } });
    expect(inv.groups.get('top')!.children).toEqual(['servers']);
  });

  test('ranges expand with the same vars on every host', () => {
    const { inv } = parse('[etcd]\netcd[01:03] ansible_user=core\n');
    expect(inv.groups.get('etcd')!.hosts).toEqual(['etcd01', 'etcd02', 'etcd03']);
    expect(hostVars(inv, 'etcd03')).toEqual({ ansible_user: 'core' });
  });

  test('a host in [ungrouped] and in another group is not ungrouped', () => {
    const { inv } = parse('[ungrouped]\nh1\nh2\n[servers]\nh1\n');
    expect(inv.groups.get('ungrouped')!.hosts).toEqual(['h2']);
    expect(inv.hosts.get('h1')!.groups).toEqual(['servers']);
  });

  test('[x:children] naming an undefined group creates it empty', () => {
    const { inv, problems } = parse('[cluster:children]\nghosts\n');
    expect(problems).toEqual([]);
    expect(inv.groups.get('ghosts')).toMatchObject({ hosts: [], children: [] });
  });

  test('same host twice with agreeing connection vars merges', () => {
    const { inv, problems } = parse('[a]\nh1 ansible_host=10.231.0.11 x=1\n[b]\nh1 ansible_host=10.231.0.11 x=2\n');
    expect(problems).toEqual([]);
    expect(inv.hosts.get('h1')!.groups).toEqual(['a', 'b']);
    expect(hostVars(inv, 'h1')).toEqual({ ansible_host: '10.231.0.11', x: '2' });
  });

  test.each([
    ['malformed section header', '[bad name]\n', 'malformed section header: [bad name]', 1, 1],
    ['vars line without =', '[g:vars]\njust_a_word\n', 'malformed line in [g:vars]: expected key=value, got "just_a_word"', 2, 1],
    ['bad var name', '[g:vars]\n9x=1\n', 'malformed line in [g:vars]: "9x" is not a valid variable name', 2, 1],
    ['two words in children', '[g:children]\na b\n', 'malformed line in [g:children]: expected one group name, got "a b"', 2, 3],
    ['unclosed quote', '[g]\nh1 a="x\n', 'malformed host line: unclosed quote in "h1 a="x"', 2, 6],
    ['self child', '[g:children]\ng\n', 'cyclic group children: g -> g', 2, 1],
  ])('%s', (_label, text, message, line, col) => {
    const { problems } = parse(text);
    expect(problems).toEqual([expect.objectContaining({ message, loc: { file: 't.ini', line, col } })]);
  });
});

describe('splitPort', () => {
  test.each([
    ['h1:2222', { name: 'h1', port: '2222' }],
    ['h1', { name: 'h1' }],
    ['h[1:3]', { name: 'h[1:3]' }],
    ['h[1:3]:22', { name: 'h[1:3]', port: '22' }],
    ['fe80::1', { name: 'fe80::1' }],
  ])('%s', (word, want) => expect(splitPort(word)).toEqual(want));
});
