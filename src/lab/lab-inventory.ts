/**
 * Renders the lab's outputs from its state, pure: an Ansible-compatible INI inventory with the
 * groups of the chosen topology, and a known_hosts file from the generated host keys (so strict
 * host key checking works). Writing the files is the caller's job.
 */
import type { LabHost, LabState, LabTopology } from './lab-state.js';

export type InventoryGroups = ReadonlyMap<string, readonly string[]>;

/**
 * Group layout per topology (full hosts h1..hN, in order):
 * - default / ha-embedded: servers h1-h3, agents h4.., lb h1,h2, etcd h1-h3 (embedded)
 * - external-etcd: etcd h1-h3, servers h4-h6, agents h7.., lb = first two servers
 * - kubeadm: servers (control planes) h1-h3, agents h4.., lb h1,h2
 * Light hosts are in `light`. Empty groups are still written (playbooks may reference them).
 */
export function topologyGroups(topology: LabTopology, full: readonly string[], light: readonly string[]): InventoryGroups {
  const g = new Map<string, readonly string[]>();
  if (topology === 'external-etcd') {
    const servers = full.slice(3, 6);
    g.set('etcd', full.slice(0, 3));
    g.set('servers', servers);
    g.set('agents', full.slice(6));
    g.set('lb', servers.slice(0, 2));
  } else {
    g.set('servers', full.slice(0, 3));
    g.set('agents', full.slice(3));
    g.set('lb', full.slice(0, 2));
    if (topology !== 'kubeadm') g.set('etcd', full.slice(0, 3));
  }
  g.set('light', light);
  return g;
}

export function renderInventory(state: LabState): string {
  const full = state.hosts.filter((h) => h.kind === 'full');
  const light = state.hosts.filter((h) => h.kind === 'light');
  const lines = [`# k3play lab "${state.name}" (${state.topology}); generated, rewritten by labUp/labIp`, ''];
  lines.push('[lab_full]', ...full.map(hostLine), '');
  const groups = topologyGroups(state.topology, full.map((h) => h.name), light.map((h) => h.name));
  for (const [name, members] of groups) {
    if (name === 'light') lines.push(`[${name}]`, ...light.map(hostLine), '');
    else lines.push(`[${name}]`, ...members, '');
  }
  lines.push(
    '[all:vars]',
    'ansible_user=root',
    `ansible_ssh_private_key_file=${state.keyFile}`,
    `ansible_ssh_common_args="-o UserKnownHostsFile=${state.knownHostsFile} -o StrictHostKeyChecking=yes"`,
    `api_vip=${state.apiVip}`,
    '',
  );
  return lines.join('\n');
}

function hostLine(h: LabHost): string {
  return `${h.name} ansible_host=${h.ip}`;
}

/** One line per host: `IP,name keytype key` (hosts without a key yet are left out). */
export function renderKnownHosts(hosts: readonly LabHost[]): string {
  return hosts
    .filter((h) => h.hostKey !== undefined)
    .map((h) => `${h.ip},${h.name} ${h.hostKey}\n`)
    .join('');
}
