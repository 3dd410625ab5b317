import { describe, expect, it } from 'vitest';
import { fullHostIp, inLabNet, lightHostIp, netInUse, parseIpAddrOutput, vipIp } from './lab-addresses.js';

describe('lab address plan', () => {
  it.each([
    { f: () => fullHostIp('10.231', 1), want: '10.231.0.11' },
    { f: () => fullHostIp('10.231', 5), want: '10.231.0.15' },
    { f: () => lightHostIp('10.231', 1), want: '10.231.0.101' },
    { f: () => lightHostIp('10.231', 149), want: '10.231.0.249' },
    { f: () => lightHostIp('10.231', 150), want: '10.231.1.1' },
    { f: () => vipIp('10.232'), want: '10.232.0.250' },
  ])('$want', ({ f, want }) => expect(f()).toBe(want));

  const ipOut = [
    '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
    '4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0',
    '9: k3pl-lab    inet 10.231.0.1/16 scope global k3pl-lab',
    '10: wg0    inet 10.240.7.3/24 scope global wg0',
    '11: big    inet 10.0.0.5/8 scope global big',
  ].join('\n');

  it.each([
    { used: ipOut, octet: 231, inUse: true },
    { used: ipOut, octet: 232, inUse: true }, // 10.0.0.0/8 covers every lab net
    { used: ipOut.split('\n').slice(0, 3).join('\n'), octet: 232, inUse: false },
    { used: ipOut.split('\n').slice(0, 2).join('\n'), octet: 231, inUse: false },
  ])('10.$octet.0.0/16 in use: $inUse', ({ used, octet, inUse }) => {
    expect(netInUse(octet, parseIpAddrOutput(used))).toBe(inUse);
  });

  it.each([
    { ip: '10.231.0.60', ok: true },
    { ip: '10.2310.0.60', ok: false },
    { ip: '10.232.0.60', ok: false },
    { ip: '10.231.0.300', ok: false },
  ])('inLabNet($ip) = $ok', ({ ip, ok }) => expect(inLabNet('10.231', ip)).toBe(ok));
});
