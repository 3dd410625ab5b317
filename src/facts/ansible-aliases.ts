/**
 * toTemplateVars: HostFacts -> the variables a template sees: `facts` (the typed object) plus
 * `ansible_facts` and the common `ansible_*` aliases, shaped like Ansible's setup module so
 * existing templates port with few edits. Pure. The values are host data: the engine inserts
 * them as data and never renders them as templates. Aliases cover the common keys only; anything
 * else is reachable through `facts.*`.
 */
import type { HostFacts, NetInterface, OsFamily } from './host-facts.js';
import { ipv4Network, prefixToNetmask } from './parse-network.js';

/** os-release ID -> Ansible's ansible_distribution. Unknown IDs fall back to NAME's first word. */
const DISTRIBUTION: Readonly<Record<string, string>> = {
  debian: 'Debian',
  ubuntu: 'Ubuntu',
  raspbian: 'Debian',
  linuxmint: 'Linux Mint',
  rhel: 'RedHat',
  centos: 'CentOS',
  rocky: 'Rocky',
  almalinux: 'AlmaLinux',
  fedora: 'Fedora',
  ol: 'OracleLinux',
  amzn: 'Amazon',
  alpine: 'Alpine',
  sles: 'SLES',
  'sle-micro': 'SLE_Micro',
  'opensuse-leap': 'openSUSE Leap',
  'opensuse-tumbleweed': 'openSUSE Tumbleweed',
};

const OS_FAMILY: Readonly<Record<OsFamily, string | null>> = {
  debian: 'Debian',
  redhat: 'RedHat',
  suse: 'Suse',
  alpine: 'Alpine',
  other: null,
};

export function ansibleDistribution(f: HostFacts): string {
  return DISTRIBUTION[f.os.id] ?? (f.os.name.split(/\s+/)[0] || 'Unknown');
}

/** `ansible_<iface>` key: Ansible replaces `-` and other non-word characters with `_`. */
export function ansibleIfaceKey(name: string): string {
  return `ansible_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

function ifaceVar(i: NetInterface): Record<string, unknown> {
  const first = i.ipv4[0];
  return {
    device: i.name,
    active: true,
    ...(i.mac ? { macaddress: i.mac } : {}),
    ...(first
      ? {
          ipv4: {
            address: first.address,
            netmask: prefixToNetmask(first.prefix),
            network: ipv4Network(first.address, first.prefix),
            prefix: String(first.prefix),
          },
        }
      : {}),
    ...(i.ipv4.length > 1
      ? {
          ipv4_secondaries: i.ipv4.slice(1).map((a) => ({
            address: a.address,
            netmask: prefixToNetmask(a.prefix),
            network: ipv4Network(a.address, a.prefix),
            prefix: String(a.prefix),
          })),
        }
      : {}),
    ipv6: i.ipv6.map((a) => ({ address: a.address, prefix: String(a.prefix), scope: a.scope ?? 'global' })),
  };
}

function defaultRouteVar(f: HostFacts, family: 4 | 6): Record<string, unknown> {
  const r = family === 4 ? f.defaultIpv4 : f.defaultIpv6;
  if (!r) return {};
  const iface = f.interfaces.find((i) => i.name === r.interface);
  const v4 = family === 4 ? iface?.ipv4.find((a) => a.address === r.address) : undefined;
  return {
    address: r.address,
    interface: r.interface,
    gateway: r.gateway,
    ...(iface?.mac ? { macaddress: iface.mac } : {}),
    ...(v4 ? { netmask: prefixToNetmask(v4.prefix), network: ipv4Network(v4.address, v4.prefix), prefix: String(v4.prefix) } : {}),
  };
}

function selinuxVar(f: HostFacts): Record<string, unknown> {
  const s = f.selinux;
  if (!s.installed || s.mode === 'disabled' || s.mode === null) {
    return { status: 'disabled', ...(s.configMode ? { config_mode: s.configMode } : {}) };
  }
  return {
    status: 'enabled',
    mode: s.mode,
    ...(s.configMode ? { config_mode: s.configMode } : {}),
    ...(s.policyType ? { type: s.policyType } : {}),
  };
}

/** The ansible_* aliases, without the prefix (the shape of `ansible_facts`). */
export function ansibleFacts(f: HostFacts): Record<string, unknown> {
  const distribution = ansibleDistribution(f);
  const allV4 = f.interfaces.flatMap((i) => i.ipv4.map((a) => a.address)).filter((a) => !a.startsWith('127.'));
  const allV6 = f.interfaces.flatMap((i) => i.ipv6.map((a) => a.address)).filter((a) => a !== '::1');
  const out: Record<string, unknown> = {
    hostname: f.hostname.split('.')[0] ?? f.hostname,
    nodename: f.hostname,
    fqdn: f.fqdn,
    domain: f.fqdn.includes('.') ? f.fqdn.slice(f.fqdn.indexOf('.') + 1) : '',
    default_ipv4: defaultRouteVar(f, 4),
    default_ipv6: defaultRouteVar(f, 6),
    all_ipv4_addresses: allV4,
    all_ipv6_addresses: allV6,
    interfaces: f.interfaces.map((i) => i.name),
    distribution,
    distribution_version: f.os.versionId,
    distribution_major_version: f.os.versionId.split('.')[0] ?? '',
    distribution_release: f.os.codename ?? 'NA',
    os_family: OS_FAMILY[f.os.family] ?? distribution,
    system: 'Linux',
    architecture: f.arch,
    kernel: f.kernel,
    machine: f.arch,
    machine_id: f.machineId,
    memtotal_mb: f.memory.totalMb,
    swaptotal_mb: f.swap.totalMb,
    processor_vcpus: f.cpus,
    processor_nproc: f.cpus,
    pkg_mgr: f.pkgMgr ?? 'unknown',
    service_mgr: f.initSystem === 'other' ? 'service' : f.initSystem,
    selinux: selinuxVar(f),
    virtualization_type: f.virtualization ?? 'NA',
    virtualization_role: f.virtualization ? 'guest' : 'NA',
    user_uid: f.uid,
  };
  if (f.epoch !== null) out['date_time'] = { epoch: String(f.epoch) };
  // Interface keys never shadow a core key (an interface named "kernel" stays under facts.*).
  for (const i of f.interfaces) {
    const key = ansibleIfaceKey(i.name).slice('ansible_'.length);
    if (!(key in out)) out[key] = ifaceVar(i);
  }
  return out;
}

/**
 * Template variables for one host: `facts`, `ansible_facts`, and every `ansible_facts` key
 * again as a top-level `ansible_<key>`.
 */
export function toTemplateVars(f: HostFacts): Record<string, unknown> {
  const af = ansibleFacts(f);
  const out: Record<string, unknown> = { facts: f, ansible_facts: af };
  for (const [k, v] of Object.entries(af)) out[`ansible_${k}`] = v;
  return out;
}
