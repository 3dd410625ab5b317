import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { limitHosts, selectHosts, splitHostPattern } from './host-pattern.js';
import { loadInventory } from './load-inventory.js';
import type { Inventory } from './types.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let inv: Inventory;
beforeAll(async () => {
  // servers h1-h3, agents h4-h5, lb h1-h2, etcd h1-h3, k3s_cluster = servers + agents
  inv = await loadInventory(['inventories/examples/edge-site.ini'], { cwd: ROOT });
});

describe('splitHostPattern', () => {
  test.each([
    ['servers:&etcd', ['servers', '&etcd']],
    ['all:!h3', ['all', '!h3']],
    ['a,b:c', ['a', 'b', 'c']],
    [' a , b ', ['a', 'b']],
    ['~h[12]', ['~h[12]']],
    ['servers[0:1]:agents', ['servers[0:1]', 'agents']],
    ['fe80::1', ['fe80::1']],
  ])('%s', (pattern, terms) => expect(splitHostPattern(pattern)).toEqual(terms));
});

describe('selectHosts', () => {
  test.each([
    ['all', ['h1', 'h2', 'h3', 'h4', 'h5']],
    ['*', ['h1', 'h2', 'h3', 'h4', 'h5']],
    ['h2', ['h2']],
    ['servers', ['h1', 'h2', 'h3']],
    ['k3s_cluster', ['h1', 'h2', 'h3', 'h4', 'h5']],
    ['servers:&etcd', ['h1', 'h2', 'h3']],
    ['servers:&lb', ['h1', 'h2']],
    ['all:!h3', ['h1', 'h2', 'h4', 'h5']],
    ['!h3', ['h1', 'h2', 'h4', 'h5']],
    ['~h[12]', ['h1', 'h2']],
    ['~(lb|agents)', ['h1', 'h2', 'h4', 'h5']],
    ['servers[0]', ['h1']],
    ['servers[-1]', ['h3']],
    ['servers[0:1]', ['h1', 'h2']],
    ['servers[1:]', ['h2', 'h3']],
    ['agents:lb', ['h1', 'h2', 'h4', 'h5']],
    ['h5,h1', ['h1', 'h5']],
    ['h*', ['h1', 'h2', 'h3', 'h4', 'h5']],
    ['h?', ['h1', 'h2', 'h3', 'h4', 'h5']],
    ['h[!123]', ['h4', 'h5']],
    // like Ansible, h[45] is a subscript (index 45) of a pattern h, not a character class
    ['*ers', ['h1', 'h2', 'h3']],
    ['k3s_cluster:!servers', ['h4', 'h5']],
    // unions first, then intersections, then exclusions, whatever the written order
    ['!h1:servers:&lb', ['h2']],
    ['servers:&agents', []],
    ['ungrouped', []],
  ])('%s', (pattern, hosts) => {
    expect(selectHosts(inv, pattern)).toEqual({ hosts, problems: [] });
  });

  test.each([
    ['sever', 'no host or group named sever', 'did you mean "servers"?'],
    ['servers:&etdc', 'no host or group named etdc', 'did you mean "etcd"?'],
    ['all:!h9', 'no host or group named h9', 'did you mean "h1" or "h2" or "h3"?'],
    ['db*', 'host pattern db* matches no host or group', 'groups: all, ungrouped, k3s_cluster, servers, agents, lb, etcd'],
    ['~(', 'invalid regular expression in host pattern ~(: Invalid regular expression: /^(?:()/: Unterminated group', undefined],
    ['servers[7]', 'servers[7]: index 7 is out of range (servers has 3 hosts)', undefined],
  ])('%s -> problem', (pattern, message, hint) => {
    const sel = selectHosts(inv, pattern, { context: 'play "x"', loc: { file: 'p.yml', line: 2, col: 10 } });
    expect(sel.problems).toEqual([{ loc: { file: 'p.yml', line: 2, col: 10 }, context: 'play "x"', message, hint }]);
  });
});

describe('limitHosts', () => {
  test.each([
    ['servers', ['h1', 'h2', 'h3']],
    ['all:!h1', ['h2', 'h3', 'h4']],
    ['~h[45]', ['h4']],
  ])('hosts h1-h4 limited by %s', (limit, want) => {
    expect(limitHosts(inv, ['h1', 'h2', 'h3', 'h4'], limit)).toEqual({ hosts: want, problems: [] });
  });

  test('@file holds one pattern per line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'k3play-limit-'));
    try {
      writeFileSync(path.join(dir, 'retry'), '# failed last time\nh2\n\nagents\n');
      expect(limitHosts(inv, ['h1', 'h2', 'h3', 'h4', 'h5'], '@retry', { cwd: dir })).toEqual({ hosts: ['h2', 'h4', 'h5'], problems: [] });
      expect(limitHosts(inv, ['h1'], '@missing', { cwd: dir }).problems[0]!.message).toBe('limit file not found: missing');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a typo in --limit is a problem, not an empty run', () => {
    const r = limitHosts(inv, ['h1'], 'h1x');
    expect(r.hosts).toEqual([]);
    expect(r.problems[0]).toMatchObject({ context: '--limit', message: 'no host or group named h1x', hint: 'did you mean "h1"?' });
  });
});
