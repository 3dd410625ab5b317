import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { K3playError, type Problem } from '../errors/k3play-error.js';
import { inventoryFormat, loadInventory } from './load-inventory.js';
import type { Inventory, SourcedVars } from './types.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const load = (...paths: string[]): Promise<Inventory> => loadInventory(paths, { cwd: ROOT });

async function problemsOf(...paths: string[]): Promise<readonly Problem[]> {
  try {
    await load(...paths);
  } catch (e) {
    if (e instanceof K3playError) return e.problems;
    throw e;
  }
  throw new Error('expected a K3playError');
}

/** The Inventory without source locations: what must be identical between INI and YAML. */
function normalise(inv: Inventory): unknown {
  const vals = (v: SourcedVars): Record<string, unknown> =>
    Object.fromEntries([...v].sort(([a], [b]) => a.localeCompare(b)).map(([k, s]) => [k, { value: s.value, level: s.source.level, owner: s.source.owner }]));
  return {
    hosts: [...inv.hosts.values()].map((h) => ({ name: h.name, groups: h.groups, vars: vals(h.vars), fileVars: vals(h.fileVars) })),
    groups: [...inv.groups.values()].map((g) => ({ name: g.name, hosts: g.hosts, children: g.children, vars: vals(g.vars), fileVars: vals(g.fileVars) })),
  };
}

describe('loadInventory: the example site', () => {
  test('edge-site.ini and edge-site.yml produce identical inventories', async () => {
    const ini = await load('inventories/examples/edge-site.ini');
    const yml = await load('inventories/examples/edge-site.yml');
    expect(normalise(yml)).toEqual(normalise(ini));
    expect([...ini.groups.keys()]).toEqual(['all', 'ungrouped', 'k3s_cluster', 'servers', 'agents', 'lb', 'etcd']);
    expect(ini.groups.get('servers')!.hosts).toEqual(['h1', 'h2', 'h3']);
    expect(ini.groups.get('etcd')!.hosts).toEqual(['h1', 'h2', 'h3']);
    expect(ini.groups.get('k3s_cluster')!.children).toEqual(['servers', 'agents']);
    expect(ini.hosts.get('h1')!.groups).toEqual(['servers', 'lb', 'etcd']);
    expect(ini.sources).toEqual(['inventories/examples/edge-site.ini']);
  });

  test('reading the directory merges both files and skips README.md and the vars dirs', async () => {
    // A copy of the edge site alone: inventories/examples also holds other sites (kubeadm-site.ini).
    const dirPath = await mkdtemp(path.join(tmpdir(), 'k3play-inv-dir-'));
    try {
      const examples = path.join(ROOT, 'inventories', 'examples');
      for (const f of ['edge-site.ini', 'edge-site.yml', 'README.md', 'group_vars', 'host_vars']) await cp(path.join(examples, f), path.join(dirPath, f), { recursive: true });
      const dir = await load(dirPath);
      const ini = await load('inventories/examples/edge-site.ini');
      expect(normalise(dir)).toEqual(normalise(ini));
    } finally {
      await rm(dirPath, { recursive: true, force: true });
    }
  });

  test('group_vars files, extension-less files and directories of files', async () => {
    const inv = await load('inventories/examples/edge-site.ini');
    const k3s = inv.groups.get('k3s_cluster')!.fileVars;
    // 20-registry.yml overrides 10-network.yml
    expect(k3s.get('flannel_backend')).toEqual({
      value: 'host-gw',
      source: { level: 'group_vars', owner: 'k3s_cluster', loc: { file: 'inventories/examples/group_vars/k3s_cluster/20-registry.yml', line: 2, col: 18 } },
    });
    expect(k3s.get('node_ip_interface')!.value).toBe('eth0');
    expect(inv.groups.get('servers')!.fileVars.get('k3s_server_args')!.value).toEqual(['--disable=traefik', '--tls-san={{api_vip}}']);
    expect(inv.groups.get('lb')!.fileVars.get('keepalived_router_id')!.value).toBe(51);
    expect(inv.hosts.get('h2')!.fileVars.get('keepalived_priority')).toEqual({
      value: 90,
      source: { level: 'host_vars', owner: 'h2', loc: { file: 'inventories/examples/host_vars/h2', line: 2, col: 22 } },
    });
    expect(inv.hosts.get('h3')!.fileVars.size).toBe(0);
  });

  test('several -i merge, each with the group_vars beside it', async () => {
    const inv = await load('test/fixtures/inventory/multi/a.ini', 'test/fixtures/inventory/multi/site-b');
    expect(inv.groups.get('servers')!.hosts).toEqual(['h1', 'h2']);
    expect(inv.groups.get('agents')!.hosts).toEqual(['h3']);
    expect(inv.groups.get('servers')!.fileVars.get('x')!.source.loc.file).toBe('test/fixtures/inventory/multi/site-b/group_vars/servers.yml');
    expect(inv.sources).toEqual(['test/fixtures/inventory/multi/a.ini', 'test/fixtures/inventory/multi/site-b']);
  });

  test('files in a group_vars directory without a YAML extension are skipped', async () => {
    const inv = await load('test/fixtures/inventory/precedence/site.ini');
    expect(inv.groups.get('servers')!.fileVars.has('not_a_vars_file')).toBe(false);
    expect(inv.groups.get('servers')!.fileVars.get('dirval')!.value).toBe('second');
  });
});

describe('loadInventory: broken inventories', () => {
  const B = 'test/fixtures/inventory/broken';
  test.each([
    ['cyclic-children.ini', 'cyclic group children: a -> b -> a', 6, 1],
    ['bad-range.ini', 'bad host range "[1-3]" in "node[1-3]": expected [start:end] or [start:end:step]', 2, 1],
    ['malformed-host-line.ini', 'malformed host line: expected key=value after the host name, got "ansible_host"', 3, 4],
    ['unknown-section.ini', 'unknown section type "hostvars" in [servers:hostvars]', 4, 10],
    [
      'duplicate-host.ini',
      `duplicate host h1 with conflicting ansible_host (${B}/duplicate-host.ini:2:4 vs ${B}/duplicate-host.ini:5:4)`,
      5,
      4,
    ],
    ['host-is-group.ini', `host etcd has the same name as a group (group defined at ${B}/host-is-group.ini:5:2)`, 3, 1],
    ['yaml-syntax.yml', 'YAML syntax error: All mapping items must start at the same column', 5, 12],
    ['yaml-hosts-list.yml', 'hosts of group "servers" must be a mapping of host names, got a list', 5, 9],
    ['yaml-unexpected-key.yml', 'unexpected key "h1" in group "servers": only hosts, vars and children are allowed', 4, 7],
  ])('%s', async (file, message, line, col) => {
    const problems = await problemsOf(`${B}/${file}`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ message, loc: { file: `${B}/${file}`, line, col } });
    expect(problems[0]!.hint).toBeTruthy();
  });

  test('all problems of a file are reported at once', async () => {
    const problems = await problemsOf(`${B}/three-problems.ini`);
    expect(problems.map((p) => [p.loc?.line, p.loc?.col, p.message])).toEqual([
      [3, 1, 'bad host range "[a:3]" in "node[a:3]": start and end must both be numbers or both single letters'],
      [4, 4, 'malformed host line: expected key=value after the host name, got "ansible_port"'],
      [6, 10, 'unknown section type "var" in [servers:var]'],
    ]);
  });

  test('problems of several files are collected before throwing', async () => {
    const problems = await problemsOf(`${B}/bad-range.ini`, 'inventories/examples/nope.ini', `${B}/yaml-hosts-list.yml`);
    expect(problems.map((p) => p.loc?.file)).toEqual([`${B}/bad-range.ini`, 'inventories/examples/nope.ini', `${B}/yaml-hosts-list.yml`]);
  });

  test('a missing inventory names the path and suggests near names', async () => {
    const problems = await problemsOf('inventories/examples/edge-site.in');
    expect(problems).toEqual([
      {
        loc: { file: 'inventories/examples/edge-site.in', line: 0, col: 0 },
        message: 'inventory not found: inventories/examples/edge-site.in',
        hint: 'did you mean "inventories/examples/edge-site.ini"?',
      },
    ]);
    const far = await problemsOf('no/such/dir/hosts');
    expect(far[0]!.hint).toBe('check the path given with -i (an INI file, a YAML file or a directory)');
  });
});

describe('inventoryFormat', () => {
  test.each([
    ['x.yml', '', 'yaml'],
    ['x.ini', 'all:\n', 'ini'],
    ['hosts', 'all:\n  hosts:\n', 'yaml'],
    ['hosts', '# comment\n---\nall: {hosts: {h1: }}\n', 'yaml'],
    ['hosts', '[servers]\nh1\n', 'ini'],
    ['hosts', 'h1 ansible_host=10.0.0.1\n', 'ini'],
    ['hosts', 'h1:2222\n', 'ini'],
  ])('%s %j -> %s', (file, text, want) => expect(inventoryFormat(file, text)).toBe(want));
});
