import { describe, expect, it } from 'vitest';
import { renderInventory, renderKnownHosts, topologyGroups } from './lab-inventory.js';
import type { LabHost, LabState, LabTopology } from './lab-state.js';

const full = ['h1', 'h2', 'h3', 'h4', 'h5'];
const light = ['l1', 'l2'];

describe('topologyGroups', () => {
  it.each<{ topology: LabTopology; want: Record<string, string[]> }>([
    { topology: 'default', want: { servers: ['h1', 'h2', 'h3'], agents: ['h4', 'h5'], lb: ['h1', 'h2'], etcd: ['h1', 'h2', 'h3'], light } },
    { topology: 'ha-embedded', want: { servers: ['h1', 'h2', 'h3'], agents: ['h4', 'h5'], lb: ['h1', 'h2'], etcd: ['h1', 'h2', 'h3'], light } },
    { topology: 'external-etcd', want: { etcd: ['h1', 'h2', 'h3'], servers: ['h4', 'h5'], agents: [], lb: ['h4', 'h5'], light } },
    { topology: 'kubeadm', want: { servers: ['h1', 'h2', 'h3'], agents: ['h4', 'h5'], lb: ['h1', 'h2'], light } },
  ])('$topology', ({ topology, want }) => {
    expect(Object.fromEntries(topologyGroups(topology, full, light))).toEqual(want);
  });
});

function host(name: string, kind: 'full' | 'light', ip: string, hostKey?: string): LabHost {
  return { name, kind, ip, netns: `k3pl-t-${name}`, upper: '', work: '', merged: '', ...(hostKey ? { hostKey } : {}) };
}

describe('lab outputs', () => {
  const hosts = [host('h1', 'full', '10.231.0.11', 'ssh-ed25519 AAAA1'), host('l1', 'light', '10.231.0.101', 'ssh-ed25519 AAAA2'), host('l2', 'light', '10.231.0.102')];
  const state = {
    version: 1, name: 't', dir: '/s/t', topology: 'kubeadm', net: '10.231', prefixLen: 16, bridge: 'k3pl-t', bridgeIp: '10.231.0.1',
    apiVip: '10.231.0.250', baseDir: '/b', keyFile: '/s/t/id_ed25519', knownHostsFile: '/s/t/known_hosts', inventoryFile: '/s/t/inventory.ini',
    createdAt: '', ownerPid: 1, hosts, resources: [],
  } satisfies LabState;

  it('known_hosts lists ip,name and key for hosts with a key', () => {
    expect(renderKnownHosts(hosts)).toBe('10.231.0.11,h1 ssh-ed25519 AAAA1\n10.231.0.101,l1 ssh-ed25519 AAAA2\n');
  });

  it('inventory carries groups, ansible_host and the lab vars', () => {
    const ini = renderInventory(state);
    expect(ini).toContain('[lab_full]\nh1 ansible_host=10.231.0.11\n');
    expect(ini).toContain('[servers]\nh1\n');
    expect(ini).toContain('[light]\nl1 ansible_host=10.231.0.101\nl2 ansible_host=10.231.0.102\n');
    expect(ini).not.toContain('[etcd]');
    for (const v of ['ansible_user=root', 'ansible_ssh_private_key_file=/s/t/id_ed25519', 'api_vip=10.231.0.250', 'UserKnownHostsFile=/s/t/known_hosts']) {
      expect(ini).toContain(v);
    }
  });
});
