import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { HostFacts } from './host-facts.js';
import { ProbeOutputError, parseFacts, splitSections } from './parse-facts.js';

const testdata = (name: string): string => readFileSync(new URL(`./testdata/${name}.txt`, import.meta.url), 'utf8');

type Expect = Omit<Partial<HostFacts>, 'os' | 'interfaces'> & {
  os?: Partial<HostFacts['os']>;
  interfaces?: readonly unknown[];
};

const cases: readonly { file: string; expected: Expect }[] = [
  {
    file: 'this-machine',
    expected: {
      os: { id: 'debian', versionId: '12', family: 'debian', codename: 'bookworm' },
      arch: 'x86_64',
      goarch: 'amd64',
      hostname: 'vm',
      defaultIpv4: { interface: 'eth0', address: '192.0.2.2', gateway: '192.0.2.1' },
      defaultIpv6: { interface: 'eth0', address: 'fd00::2', gateway: 'fd00::1' },
      swap: { totalMb: 0, devices: [] },
      pkgMgr: 'apt',
      cgroupVersion: 1,
      initSystem: 'other',
      virtualization: 'docker',
      container: true,
      isRoot: true,
    },
  },
  {
    file: 'debian12-nspawn',
    expected: {
      os: { id: 'debian', versionId: '12', family: 'debian', prettyName: 'Debian GNU/Linux 12 (bookworm)', codename: 'bookworm' },
      kernel: '6.1.0-18-amd64',
      arch: 'x86_64',
      goarch: 'amd64',
      hostname: 'k3s-1',
      fqdn: 'k3s-1',
      interfaces: [
        { name: 'lo', ipv4: [{ address: '127.0.0.1', prefix: 8 }], ipv6: [{ address: '::1', prefix: 128, scope: 'host' }] },
        {
          name: 'eth0',
          ipv4: [{ address: '10.231.0.11', prefix: 24 }],
          ipv6: [{ address: 'fe80::4c5e:1cff:fe2a:b011', prefix: 64, scope: 'link' }],
          mac: '4e:5e:1c:2a:b0:11',
        },
      ],
      defaultIpv4: null,
      defaultIpv6: null,
      memory: { totalMb: 7953, availableMb: 7141 },
      swap: { totalMb: 0, devices: [] },
      cpus: 4,
      selinux: { installed: false, mode: null, configMode: null, policyType: null },
      initSystem: 'systemd',
      pkgMgr: 'apt',
      cgroupVersion: 2,
      epoch: 1717243200,
      machineId: '6b1c0e4f2a9d4e7b8c3f5a1d2e9b0c11',
      virtualization: 'systemd-nspawn',
      container: true,
      python3: null,
      uid: 0,
      isRoot: true,
    },
  },
  {
    file: 'rocky8-selinux',
    expected: {
      os: { id: 'rocky', idLike: ['rhel', 'centos', 'fedora'], versionId: '8.9', family: 'redhat', codename: 'Green Obsidian' },
      kernel: '4.18.0-513.5.1.el8_9.x86_64',
      goarch: 'amd64',
      fqdn: 'rocky8-a.edge.example.com',
      interfaces: [
        { name: 'lo' },
        {
          name: 'ens192',
          ipv4: [
            { address: '192.168.10.21', prefix: 24 },
            { address: '192.168.10.50', prefix: 32 },
          ],
          ipv6: [
            { address: '2001:db8:10::21', prefix: 64, scope: 'global' },
            { address: 'fe80::250:56ff:fe9a:1021', prefix: 64, scope: 'link' },
          ],
        },
        { name: 'ens224', ipv4: [{ address: '172.16.5.21', prefix: 24 }], ipv6: [] },
      ],
      // Two default routes: the lower metric wins.
      defaultIpv4: { interface: 'ens192', address: '192.168.10.21', gateway: '192.168.10.1' },
      defaultIpv6: { interface: 'ens192', address: '2001:db8:10::21', gateway: '2001:db8:10::1' },
      memory: { totalMb: 15827, availableMb: 14636 },
      swap: { totalMb: 4019, devices: [{ path: '/dev/dm-1', type: 'partition', sizeKb: 4116476 }] },
      cpus: 8,
      selinux: { installed: true, mode: 'enforcing', configMode: 'enforcing', policyType: 'targeted' },
      initSystem: 'systemd',
      pkgMgr: 'dnf',
      cgroupVersion: 1,
      virtualization: 'vmware',
      container: false,
      uid: 1000,
      isRoot: false,
    },
  },
  {
    file: 'alpine-busybox',
    expected: {
      os: { id: 'alpine', versionId: '3.19.1', family: 'alpine', codename: null },
      arch: 'aarch64',
      goarch: 'arm64',
      fqdn: 'alpine-edge.lan',
      interfaces: [
        { name: 'lo' },
        {
          name: 'eth0',
          ipv4: [{ address: '192.168.1.40', prefix: 24 }],
          ipv6: [{ address: 'fe80::dea6:32ff:fe0b:7e41', prefix: 64, scope: 'link' }],
          mac: 'dc:a6:32:0b:7e:41',
        },
        { name: 'wlan0', ipv4: [], ipv6: [], mac: 'dc:a6:32:0b:7e:42' },
      ],
      // No `ip -o` output: the default route comes from /proc/net/route.
      defaultIpv4: { interface: 'eth0', address: '192.168.1.40', gateway: '192.168.1.1' },
      defaultIpv6: null,
      swap: { totalMb: 511, devices: [{ path: '/var/swap file', type: 'file', sizeKb: 524284 }] },
      initSystem: 'openrc',
      pkgMgr: 'apk',
      cgroupVersion: 2,
      machineId: null,
      virtualization: null,
      container: false,
    },
  },
  {
    file: 'minimal-ifconfig',
    expected: {
      os: { id: 'opensuse-leap', family: 'suse', versionId: '15.5' },
      fqdn: 'leap1', // empty `hostname -f` falls back to the hostname
      interfaces: [
        {
          name: 'eth0',
          ipv4: [{ address: '10.20.0.7', prefix: 22 }],
          // ifconfig gave no IPv6: /proc/net/if_inet6 fills in.
          ipv6: [
            { address: '2001:db8::7', prefix: 64, scope: 'global' },
            { address: 'fe80::5054:ff:feab:cd07', prefix: 64, scope: 'link' },
          ],
          mac: '52:54:00:ab:cd:07',
        },
        { name: 'eth0:1', ipv4: [{ address: '10.20.0.100', prefix: 32 }] },
        { name: 'lo', ipv4: [{ address: '127.0.0.1', prefix: 8 }] },
      ],
      defaultIpv4: { interface: 'eth0', address: '10.20.0.7', gateway: '10.20.0.1' },
      // No MemAvailable: MemFree + Buffers + Cached.
      memory: { totalMb: 1970, availableMb: 1767 },
      cpus: 1, // empty cpus section: at least one
      pkgMgr: 'zypper',
      virtualization: 'kvm',
      container: false,
    },
  },
];

// Captured with the probe that reads /run/systemd/container instead of asking systemd-detect-virt,
// and runs systemd-detect-virt once (no -c) elsewhere; on a cgroup v1 (hybrid) machine.
const probeV2Cases: readonly { file: string; expected: Expect }[] = [
  {
    file: 'debian12-nspawn-probe-v2',
    expected: { hostname: 'h1', virtualization: 'systemd-nspawn', container: true, cgroupVersion: 1, initSystem: 'systemd', pkgMgr: 'apt', isRoot: true },
  },
  // A lab "light" host: sshd chrooted in a network namespace, no systemd, on a KVM guest.
  { file: 'light-host-chroot', expected: { virtualization: 'kvm', container: false, cgroupVersion: 1, isRoot: true } },
];

describe('parseFacts (probe v2 captures)', () => {
  test.each(probeV2Cases)('$file', ({ file, expected }) => {
    expect(parseFacts(testdata(file))).toMatchObject(expected);
  });

  test.each([
    { virt: 'virt=systemd-nspawn', container: true, virtualization: 'systemd-nspawn' },
    { virt: 'virt=docker', container: true, virtualization: 'docker' },
    { virt: 'virt=kvm', container: false, virtualization: 'kvm' },
    { virt: 'virt=none', container: false, virtualization: null },
  ])('systemd-detect-virt alone: $virt', ({ virt, container, virtualization }) => {
    const out = testdata('light-host-chroot').replace('virt=kvm', virt);
    expect(parseFacts(out)).toMatchObject({ container, virtualization });
  });
});

describe('parseFacts (captured probe output in testdata/)', () => {
  test.each(cases)('$file', ({ file, expected }) => {
    expect(parseFacts(testdata(file))).toMatchObject(expected);
  });
});

describe('parseFacts: output that is not a complete probe run', () => {
  const full = testdata('debian12-nspawn');
  test.each([
    { name: 'empty', output: '', message: /no begin marker/ },
    { name: 'cut off', output: full.slice(0, full.indexOf('@@k3play:meminfo@@')), message: /incomplete/ },
    { name: 'other format', output: full.replace('@@k3play:begin@@\n1', '@@k3play:begin@@\n99'), message: /format 99/ },
  ])('$name throws ProbeOutputError', ({ output, message }) => {
    expect(() => parseFacts(output)).toThrow(ProbeOutputError);
    expect(() => parseFacts(output)).toThrow(message);
  });

  test.each([
    { name: 'CRLF line endings', output: full.replace(/\n/g, '\r\n') },
    { name: 'a login banner before the probe', output: `Welcome to the edge site!\n@@not-a-marker@@\n${full}` },
  ])('$name parses the same', ({ output }) => {
    expect(parseFacts(output)).toEqual(parseFacts(full));
  });
});

describe('splitSections', () => {
  test('keeps inner blank lines, trims the edges', () => {
    const s = splitSections('junk\n@@k3play:a@@\n\nx\n\ny\n\n@@k3play:b@@\n@@k3play:c@@\nz');
    expect([...s]).toEqual([
      ['a', 'x\n\ny'],
      ['b', ''],
      ['c', 'z'],
    ]);
  });
});
