import { describe, expect, test } from 'vitest';
import {
  compressIpv6Hex,
  ipv4Network,
  netmaskToPrefix,
  parseDefaultRoutes,
  parseIfconfig,
  parseIpAddrFull,
  parseIpOneline,
  parseProcRoute,
  prefixToNetmask,
} from './parse-network.js';

describe('compressIpv6Hex', () => {
  test.each([
    ['00000000000000000000000000000001', '::1'],
    ['00000000000000000000000000000000', '::'],
    ['fe800000000000004c5e1cfffe2ab011', 'fe80::4c5e:1cff:fe2a:b011'],
    ['20010db8000000010000000000000001', '2001:db8:0:1::1'], // longest run compressed, single 0 kept
    ['20010DB8000000000001000000000000', '2001:db8:0:0:1::'], // the longest run wins
    ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'], // equal runs: the first wins
    ['20010db8000100020003000400050006', '2001:db8:1:2:3:4:5:6'],
  ])('%s -> %s', (hex, text) => {
    expect(compressIpv6Hex(hex)).toBe(text);
  });
});

describe('netmask <-> prefix', () => {
  test.each([
    [0, '0.0.0.0'],
    [8, '255.0.0.0'],
    [22, '255.255.252.0'],
    [24, '255.255.255.0'],
    [32, '255.255.255.255'],
  ])('/%i <-> %s', (prefix, mask) => {
    expect(prefixToNetmask(prefix)).toBe(mask);
    expect(netmaskToPrefix(mask)).toBe(prefix);
  });
  test('hex mask', () => expect(netmaskToPrefix('0xffffff00')).toBe(24));
  test('network', () => expect(ipv4Network('10.20.3.7', 22)).toBe('10.20.0.0'));
});

describe('address parsers', () => {
  test('ip -o addr: veth name suffix and peer addresses', () => {
    const t = parseIpOneline(
      '5: veth1@if4    inet 10.0.0.1 peer 10.0.0.2/32 scope global veth1\\       valid_lft forever\n' +
        '6: wg0    inet 10.9.0.1/24 scope global wg0\\       valid_lft forever preferred_lft forever\n',
    );
    expect([...t]).toEqual([
      ['veth1', { ipv4: [{ address: '10.0.0.1', prefix: 32 }], ipv6: [] }],
      ['wg0', { ipv4: [{ address: '10.9.0.1', prefix: 24 }], ipv6: [] }],
    ]);
  });

  test('ip addr (multi-line): MACs and addresses per interface', () => {
    const t = parseIpAddrFull(
      '2: eth0@if7: <BROADCAST,UP> mtu 1500 qdisc noqueue state UP\n' +
        '    link/ether 02:42:AC:11:00:02 brd ff:ff:ff:ff:ff:ff\n' +
        '    inet 172.17.0.2/16 brd 172.17.255.255 scope global eth0\n' +
        '       valid_lft forever preferred_lft forever\n',
    );
    expect(t.get('eth0')).toEqual({ ipv4: [{ address: '172.17.0.2', prefix: 16 }], ipv6: [], mac: '02:42:ac:11:00:02' });
  });

  test('ifconfig, busybox / old net-tools dialect', () => {
    const t = parseIfconfig(
      'eth0      Link encap:Ethernet  HWaddr 02:42:AC:11:00:02  \n' +
        '          inet addr:172.17.0.2  Bcast:172.17.255.255  Mask:255.255.0.0\n' +
        '          inet6 addr: fe80::42:acff:fe11:2/64 Scope:Link\n' +
        '          UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1\n' +
        '\n' +
        'lo        Link encap:Local Loopback  \n' +
        '          inet addr:127.0.0.1  Mask:255.0.0.0\n',
    );
    expect([...t]).toEqual([
      [
        'eth0',
        {
          ipv4: [{ address: '172.17.0.2', prefix: 16 }],
          ipv6: [{ address: 'fe80::42:acff:fe11:2', prefix: 64, scope: 'link' }],
          mac: '02:42:ac:11:00:02',
        },
      ],
      ['lo', { ipv4: [{ address: '127.0.0.1', prefix: 8 }], ipv6: [] }],
    ]);
  });
});

describe('default routes', () => {
  test.each([
    {
      text: 'default via 10.0.0.1 dev eth0 proto dhcp src 10.0.0.5 metric 100\n',
      first: { interface: 'eth0', gateway: '10.0.0.1', src: '10.0.0.5', metric: 100 },
    },
    { text: 'default dev wg0 scope link\n', first: { interface: 'wg0', gateway: null, src: null, metric: 0 } },
    {
      text: 'default via 10.0.0.1 dev eth0 metric 600\ndefault via 10.1.0.1 dev eth1 metric 50\n',
      first: { interface: 'eth1', gateway: '10.1.0.1', src: null, metric: 50 },
    },
    { text: '', first: undefined },
  ])('ip route: $text', ({ text, first }) => {
    expect(parseDefaultRoutes(text)[0]).toEqual(first);
  });

  test('/proc/net/route: gateway is little-endian hex; down routes ignored', () => {
    const text =
      'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n' +
      'eth1\t00000000\t0101A8C0\t0002\t0\t0\t0\t00000000\t0\t0\t0\n' +
      'eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n';
    expect(parseProcRoute(text)).toEqual([{ interface: 'eth0', gateway: '192.0.2.1', src: null, metric: 0 }]);
  });
});
