/**
 * Pure parsers for the probe's network sections: `ip -o addr`, `ip addr` (multi-line, iproute2
 * and busybox), `ifconfig -a` (busybox/old net-tools and new net-tools), `ip route show default`,
 * /proc/net/route, /proc/net/if_inet6 and the `<iface> <mac>` list from /sys/class/net.
 * No I/O; every function takes the section text and returns data. Unknown lines are skipped.
 */
import type { Ipv4Address, Ipv6Address } from './host-facts.js';

export interface AddrSet {
  ipv4: Ipv4Address[];
  ipv6: Ipv6Address[];
  mac?: string;
}

/** Interface name -> addresses, in the order interfaces first appear. */
export type AddrTable = Map<string, AddrSet>;

export interface RouteLine {
  readonly interface: string;
  readonly gateway: string | null;
  readonly src: string | null;
  readonly metric: number;
}

function slot(t: AddrTable, name: string): AddrSet {
  let s = t.get(name);
  if (!s) {
    s = { ipv4: [], ipv6: [] };
    t.set(name, s);
  }
  return s;
}

/** `eth0@if12` -> `eth0` (veth peers are shown with their peer index). */
function ifaceName(raw: string): string {
  const at = raw.indexOf('@');
  return at > 0 ? raw.slice(0, at) : raw;
}

function addAddr(s: AddrSet, family: string, cidr: string, scope: string | null): void {
  const [address = '', p] = cidr.split('/');
  if (family === 'inet') {
    const prefix = p === undefined ? 32 : Number(p);
    if (!s.ipv4.some((a) => a.address === address)) s.ipv4.push({ address, prefix });
  } else {
    const prefix = p === undefined ? 128 : Number(p);
    const addr = address.toLowerCase();
    if (!s.ipv6.some((a) => a.address === addr)) s.ipv6.push({ address: addr, prefix, scope });
  }
}

function scopeOf(words: readonly string[]): string | null {
  const i = words.indexOf('scope');
  return i >= 0 ? (words[i + 1] ?? null) : null;
}

/** `ip -o addr show`: `2: eth0    inet 10.0.0.5/24 brd ... scope global eth0\       valid_lft ...` */
export function parseIpOneline(text: string): AddrTable {
  const t: AddrTable = new Map();
  for (const line of text.split('\n')) {
    const m = /^\d+:\s+(\S+)\s+(inet6?)\s+(\S+)(.*)$/.exec(line);
    if (!m) continue;
    const [, name = '', family = '', cidr = '', rest = ''] = m;
    addAddr(slot(t, ifaceName(name)), family, cidr, scopeOf(rest.split(/\s+/)));
  }
  return t;
}

/** `ip addr show` (iproute2 or busybox): a header line per interface, then indented detail lines. */
export function parseIpAddrFull(text: string): AddrTable {
  const t: AddrTable = new Map();
  let cur: AddrSet | null = null;
  for (const line of text.split('\n')) {
    const head = /^\d+:\s+([^:\s]+):/.exec(line);
    if (head) {
      cur = slot(t, ifaceName(head[1] ?? ''));
      continue;
    }
    if (!cur) continue;
    const words = line.trim().split(/\s+/);
    const [kind = '', value = ''] = words;
    if (kind.startsWith('link/') && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(value)) cur.mac = value.toLowerCase();
    else if ((kind === 'inet' || kind === 'inet6') && value) addAddr(cur, kind, value, scopeOf(words));
  }
  return t;
}

/**
 * `ifconfig -a`, both dialects:
 *   busybox / old net-tools: `eth0  Link encap:Ethernet  HWaddr 02:42:AC:11:00:02`,
 *     `inet addr:172.17.0.2  Bcast:...  Mask:255.255.0.0`, `inet6 addr: fe80::1/64 Scope:Link`
 *   new net-tools: `eth0: flags=4163<UP,...>  mtu 1500`, `inet 10.0.0.5  netmask 255.255.255.0`,
 *     `inet6 fe80::1  prefixlen 64  scopeid 0x20<link>`, `ether 52:54:00:12:34:56`
 */
export function parseIfconfig(text: string): AddrTable {
  const t: AddrTable = new Map();
  let cur: AddrSet | null = null;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (!/^\s/.test(line)) {
      const name = /^([^\s:]+(?::\d+)?):?\s/.exec(line)?.[1];
      if (!name) continue;
      cur = slot(t, name.replace(/:$/, ''));
      const hw = /HWaddr\s+([0-9A-Fa-f:]{17})/.exec(line)?.[1];
      if (hw) cur.mac = hw.toLowerCase();
      continue;
    }
    if (!cur) continue;
    const s = line.trim();
    let m: RegExpExecArray | null;
    if ((m = /^inet addr:(\S+).*?Mask:(\S+)/.exec(s))) {
      addAddr(cur, 'inet', `${m[1]}/${netmaskToPrefix(m[2] ?? '')}`, null);
    } else if ((m = /^inet (\d+\.\d+\.\d+\.\d+)\s+netmask\s+(\S+)/.exec(s))) {
      addAddr(cur, 'inet', `${m[1]}/${netmaskToPrefix(m[2] ?? '')}`, null);
    } else if ((m = /^inet6 addr:\s*(\S+)\s+Scope:(\S+)/i.exec(s))) {
      addAddr(cur, 'inet6', m[1] ?? '', (m[2] ?? '').toLowerCase());
    } else if ((m = /^inet6 (\S+)\s+prefixlen\s+(\d+)(?:\s+scopeid\s+\S+<(\w+)>)?/.exec(s))) {
      addAddr(cur, 'inet6', `${m[1]}/${m[2]}`, m[3] ?? null);
    } else if ((m = /^ether\s+([0-9a-f:]{17})/i.exec(s))) {
      cur.mac = (m[1] ?? '').toLowerCase();
    }
  }
  return t;
}

/** `ip -o -4|-6 route show default`: every default route, lowest metric first. */
export function parseDefaultRoutes(text: string): RouteLine[] {
  const out: RouteLine[] = [];
  for (const line of text.split('\n')) {
    const w = line.trim().split(/\s+/);
    if (w[0] !== 'default') continue;
    const val = (k: string): string | null => {
      const i = w.indexOf(k);
      return i >= 0 ? (w[i + 1] ?? null) : null;
    };
    const dev = val('dev');
    if (!dev) continue;
    out.push({ interface: dev, gateway: val('via'), src: val('src'), metric: Number(val('metric') ?? 0) });
  }
  return out.sort((a, b) => a.metric - b.metric);
}

/** /proc/net/route: the default routes (destination and mask 0), lowest metric first. */
export function parseProcRoute(text: string): RouteLine[] {
  const out: RouteLine[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    const [iface, dest, gw, flags, , , metric, mask] = f;
    if (!iface || dest !== '00000000' || mask !== '00000000') continue;
    if ((parseInt(flags ?? '0', 16) & 0x1) === 0) continue; // RTF_UP
    const gateway = gw && gw !== '00000000' ? hexToIpv4LittleEndian(gw) : null;
    out.push({ interface: iface, gateway, src: null, metric: Number(metric ?? 0) });
  }
  return out.sort((a, b) => a.metric - b.metric);
}

/** /proc/net/if_inet6: `<32 hex> <ifindex> <prefix hex> <scope hex> <flags> <name>`. */
export function parseProcIfInet6(text: string): AddrTable {
  const t: AddrTable = new Map();
  for (const line of text.split('\n')) {
    const [hex, , plen, scope, , name] = line.trim().split(/\s+/);
    if (!hex || hex.length !== 32 || !name || !plen) continue;
    addAddr(slot(t, name), 'inet6', `${compressIpv6Hex(hex)}/${parseInt(plen, 16)}`, ipv6ScopeName(parseInt(scope ?? '0', 16)));
  }
  return t;
}

/** The probe's sys-net section: `<iface> <mac>` per line (mac may be empty). */
export function parseSysNet(text: string): { name: string; mac: string | null }[] {
  const out: { name: string; mac: string | null }[] = [];
  for (const line of text.split('\n')) {
    const [name, mac] = line.trim().split(/\s+/);
    if (!name) continue;
    out.push({ name, mac: mac && /^[0-9a-f]{2}(:[0-9a-f]{2})+$/i.test(mac) ? mac.toLowerCase() : null });
  }
  return out;
}

function ipv6ScopeName(scope: number): string | null {
  // Kernel IPV6_ADDR_* scope bits as printed in if_inet6.
  switch (scope & 0xf0) {
    case 0x00:
      return 'global';
    case 0x10:
      return 'host';
    case 0x20:
      return 'link';
    case 0x40:
      return 'site';
    default:
      return null;
  }
}

function hexToIpv4LittleEndian(hex: string): string {
  const n = parseInt(hex, 16);
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
}

/** 32 hex digits -> RFC 5952 text (lower case, longest zero run of 2+ groups compressed). */
export function compressIpv6Hex(hex: string): string {
  const groups = (hex.toLowerCase().match(/.{4}/g) ?? []).map((g) => g.replace(/^0+(?=.)/, ''));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

export function prefixToNetmask(prefix: number): string {
  const bits = prefix <= 0 ? 0 : prefix >= 32 ? 0xffffffff : (0xffffffff << (32 - prefix)) >>> 0;
  return [bits >>> 24, (bits >>> 16) & 0xff, (bits >>> 8) & 0xff, bits & 0xff].join('.');
}

/** "255.255.255.0" -> 24; also accepts hex masks ("0xffffff00", BSD-style). */
export function netmaskToPrefix(mask: string): number {
  const n = mask.startsWith('0x')
    ? parseInt(mask, 16)
    : mask.split('.').reduce((acc, o) => ((acc << 8) | (Number(o) & 0xff)) >>> 0, 0);
  let count = 0;
  for (let b = 31; b >= 0 && (n >>> b) & 1; b--) count++;
  return count;
}

/** The network address of address/prefix, e.g. 10.0.0.5/24 -> 10.0.0.0. */
export function ipv4Network(address: string, prefix: number): string {
  const a = address.split('.').reduce((acc, o) => ((acc << 8) | (Number(o) & 0xff)) >>> 0, 0);
  const mask = prefix <= 0 ? 0 : prefix >= 32 ? 0xffffffff : (0xffffffff << (32 - prefix)) >>> 0;
  const n = (a & mask) >>> 0;
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');
}
