/**
 * The lab's address plan, pure: a lab owns 10.<n>.0.0/16 (bridge 10.<n>.0.1); full host hN is
 * .0.(10+N), light host lM is .0.(100+M) for M <= 149 and .1.(M-149) beyond; the VIP spare
 * is .0.250. Also parses `ip -o -4 addr` to tell whether a /16 is already used on this machine.
 */
export const LAB_PREFIX_LEN = 16;
export const FIRST_LAB_OCTET = 231;
export const LAST_LAB_OCTET = 250;
export const MAX_FULL_HOSTS = 89;
export const MAX_LIGHT_HOSTS = 149 + 254;

export function fullHostIp(net: string, n: number): string {
  return `${net}.0.${10 + n}`;
}

export function lightHostIp(net: string, m: number): string {
  return m <= 149 ? `${net}.0.${100 + m}` : `${net}.1.${m - 149}`;
}

export function bridgeIp(net: string): string {
  return `${net}.0.1`;
}

export function vipIp(net: string): string {
  return `${net}.0.250`;
}

/** "10.231" for octet 231. */
export function netOf(octet: number): string {
  return `10.${octet}`;
}

export interface CidrV4 {
  readonly addr: number;
  readonly prefix: number;
}

export function ipToInt(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let v = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    v = v * 256 + Number(p);
  }
  return v;
}

/** Addresses (with their prefix) from `ip -o -4 addr` output. */
export function parseIpAddrOutput(text: string): CidrV4[] {
  const out: CidrV4[] = [];
  for (const m of text.matchAll(/\binet (\d+\.\d+\.\d+\.\d+)\/(\d+)/g)) {
    const addr = ipToInt(m[1]!);
    if (addr !== null) out.push({ addr, prefix: Number(m[2]) });
  }
  return out;
}

function overlaps(a: CidrV4, b: CidrV4): boolean {
  const p = Math.min(a.prefix, b.prefix);
  const mask = p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0;
  return ((a.addr & mask) >>> 0) === ((b.addr & mask) >>> 0);
}

/** True when 10.<octet>.0.0/16 overlaps any address/network in `used`. */
export function netInUse(octet: number, used: readonly CidrV4[]): boolean {
  const mine: CidrV4 = { addr: ipToInt(`10.${octet}.0.0`)!, prefix: LAB_PREFIX_LEN };
  return used.some((u) => overlaps(mine, u));
}

/** True when `ip` lies inside the lab's /16. */
export function inLabNet(net: string, ip: string): boolean {
  return ipToInt(ip) !== null && ip.startsWith(`${net}.`);
}
