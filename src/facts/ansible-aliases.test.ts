import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { toTemplateVars } from './ansible-aliases.js';
import { parseFacts } from './parse-facts.js';

const factsOf = (name: string) => parseFacts(readFileSync(new URL(`./testdata/${name}.txt`, import.meta.url), 'utf8'));

const cases: readonly { file: string; expected: Record<string, unknown> }[] = [
  {
    file: 'debian12-nspawn',
    expected: {
      ansible_hostname: 'k3s-1',
      ansible_fqdn: 'k3s-1',
      ansible_default_ipv4: {},
      ansible_all_ipv4_addresses: ['10.231.0.11'],
      ansible_distribution: 'Debian',
      ansible_distribution_version: '12',
      ansible_distribution_major_version: '12',
      ansible_distribution_release: 'bookworm',
      ansible_os_family: 'Debian',
      ansible_architecture: 'x86_64',
      ansible_kernel: '6.1.0-18-amd64',
      ansible_memtotal_mb: 7953,
      ansible_processor_vcpus: 4,
      ansible_pkg_mgr: 'apt',
      ansible_service_mgr: 'systemd',
      ansible_selinux: { status: 'disabled' },
      ansible_interfaces: ['lo', 'eth0'],
      ansible_eth0: { device: 'eth0', macaddress: '4e:5e:1c:2a:b0:11', ipv4: { address: '10.231.0.11', netmask: '255.255.255.0', network: '10.231.0.0' } },
      ansible_virtualization_type: 'systemd-nspawn',
      ansible_virtualization_role: 'guest',
    },
  },
  {
    file: 'rocky8-selinux',
    expected: {
      ansible_hostname: 'rocky8-a',
      ansible_fqdn: 'rocky8-a.edge.example.com',
      ansible_domain: 'edge.example.com',
      ansible_default_ipv4: { address: '192.168.10.21', interface: 'ens192', gateway: '192.168.10.1', netmask: '255.255.255.0' },
      ansible_all_ipv4_addresses: ['192.168.10.21', '192.168.10.50', '172.16.5.21'],
      ansible_distribution: 'Rocky',
      ansible_distribution_version: '8.9',
      ansible_distribution_major_version: '8',
      ansible_distribution_release: 'Green Obsidian',
      ansible_os_family: 'RedHat',
      ansible_pkg_mgr: 'dnf',
      ansible_selinux: { status: 'enabled', mode: 'enforcing', config_mode: 'enforcing', type: 'targeted' },
      ansible_ens192: { ipv4: { address: '192.168.10.21', netmask: '255.255.255.0' }, ipv4_secondaries: [{ address: '192.168.10.50' }] },
      ansible_swaptotal_mb: 4019,
    },
  },
  {
    file: 'alpine-busybox',
    expected: {
      ansible_distribution: 'Alpine',
      ansible_distribution_major_version: '3',
      ansible_distribution_release: 'NA',
      ansible_os_family: 'Alpine',
      ansible_architecture: 'aarch64',
      ansible_service_mgr: 'openrc',
      ansible_pkg_mgr: 'apk',
      ansible_virtualization_type: 'NA',
    },
  },
  {
    file: 'minimal-ifconfig',
    expected: {
      ansible_distribution: 'openSUSE Leap',
      ansible_os_family: 'Suse',
      ansible_interfaces: ['eth0', 'eth0:1', 'lo'],
      ansible_eth0_1: { device: 'eth0:1', ipv4: { address: '10.20.0.100', netmask: '255.255.255.255' } },
    },
  },
];

describe('toTemplateVars', () => {
  test.each(cases)('$file', ({ file, expected }) => {
    expect(toTemplateVars(factsOf(file))).toMatchObject(expected);
  });

  test('facts, ansible_facts and the top-level aliases agree', () => {
    const f = factsOf('rocky8-selinux');
    const v = toTemplateVars(f);
    expect(v['facts']).toBe(f);
    const af = v['ansible_facts'] as Record<string, unknown>;
    for (const [k, val] of Object.entries(af)) expect(v[`ansible_${k}`]).toBe(val);
    expect(af['default_ipv4']).toEqual(v['ansible_default_ipv4']);
  });

  test('an interface never shadows a core alias', () => {
    const f = factsOf('debian12-nspawn');
    const odd = { ...f, interfaces: [...f.interfaces, { name: 'kernel', ipv4: [], ipv6: [] }] };
    expect(toTemplateVars(odd)['ansible_kernel']).toBe('6.1.0-18-amd64');
  });

  test('facts loaded from the persistent cache (volatile fields null) omit date_time', () => {
    const f = { ...factsOf('debian12-nspawn'), epoch: null };
    expect(toTemplateVars(f)).not.toHaveProperty('ansible_date_time');
  });
});
