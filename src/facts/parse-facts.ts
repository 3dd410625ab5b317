/**
 * parseFacts: the probe's whole output (probe-script.ts) -> HostFacts. Pure: no I/O, no clock.
 * It splits the output on the `@@k3play:<section>@@` markers, then reads each section with a
 * small parser; a missing or empty section yields a safe default, never an exception. Only
 * output that is not a complete probe run (no begin/end marker, other format version) throws
 * ProbeOutputError. Host output is data: nothing here is ever rendered as a template.
 */
import type {
  DefaultRoute,
  HostFacts,
  InitSystem,
  NetInterface,
  OsFamily,
  PkgMgr,
  SelinuxInfo,
  SelinuxMode,
  SwapDevice,
} from './host-facts.js';
import {
  type AddrTable,
  type RouteLine,
  parseDefaultRoutes,
  parseIfconfig,
  parseIpAddrFull,
  parseIpOneline,
  parseProcIfInet6,
  parseProcRoute,
  parseSysNet,
} from './parse-network.js';
import { parseOsRelease } from './parse-os-release.js';
import { PROBE_FORMAT_VERSION, PROBE_MARKER_PREFIX } from './probe-script.js';

export class ProbeOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProbeOutputError';
  }
}

const MARKER = new RegExp(`^${PROBE_MARKER_PREFIX}([a-z0-9-]+)@@$`);

/** Section name -> its text (trimmed of surrounding blank lines, `\r` removed). */
export function splitSections(output: string): Map<string, string> {
  const sections = new Map<string, string>();
  let name: string | null = null;
  let lines: string[] = [];
  const flush = (): void => {
    if (name !== null) sections.set(name, lines.join('\n').replace(/^\n+|\s+$/g, ''));
  };
  for (const line of output.replace(/\r/g, '').split('\n')) {
    const m = MARKER.exec(line);
    if (m) {
      flush();
      name = m[1] ?? '';
      lines = [];
    } else if (name !== null) {
      lines.push(line);
    }
  }
  flush();
  return sections;
}

export function parseFacts(output: string): HostFacts {
  const s = splitSections(output);
  if (!s.has('begin')) throw new ProbeOutputError('fact probe output has no begin marker (was the probe script run?)');
  if (s.get('begin') !== String(PROBE_FORMAT_VERSION)) {
    throw new ProbeOutputError(`fact probe format ${s.get('begin')}, expected ${PROBE_FORMAT_VERSION}`);
  }
  if (!s.has('end')) throw new ProbeOutputError('fact probe output is incomplete (no end marker): the script was cut off');
  const sec = (k: string): string => s.get(k) ?? '';

  const os = parseOsRelease(sec('os-release'));
  const [, kernel = '', arch = ''] = firstLine(sec('uname')).split(/\s+/);
  const hostname = firstLine(sec('hostname'));
  const interfaces = parseInterfaces(s);
  const mem = keyNumbers(sec('meminfo'));
  const memAvailKb = mem.get('MemAvailable') ?? sumIfAny(mem, ['MemFree', 'Buffers', 'Cached']);
  const uid = toInt(firstLine(sec('id')));
  const virt = keyValues(sec('virt'));
  return {
    os,
    kernel,
    arch,
    goarch: goarchOf(arch),
    hostname,
    fqdn: firstLine(sec('fqdn')) || hostname,
    interfaces,
    defaultIpv4: defaultRoute(parseDefaultRoutes(sec('route4'))[0] ?? parseProcRoute(sec('proc-route'))[0], interfaces, 4),
    defaultIpv6: defaultRoute(parseDefaultRoutes(sec('route6'))[0], interfaces, 6),
    memory: {
      totalMb: kbToMb(mem.get('MemTotal') ?? 0),
      availableMb: memAvailKb === null ? null : kbToMb(memAvailKb),
    },
    swap: { totalMb: kbToMb(mem.get('SwapTotal') ?? 0), devices: parseSwaps(sec('swaps')) },
    cpus: Math.max(1, toInt(firstLine(sec('cpus'))) ?? 1),
    selinux: parseSelinux(keyValues(sec('selinux'))),
    initSystem: initSystemOf(keyValues(sec('init'))),
    pkgMgr: pkgMgrOf(sec('pkg-mgr'), os.family),
    cgroupVersion: cgroupVersionOf(keyValues(sec('cgroup'))),
    epoch: toInt(firstLine(sec('time'))),
    machineId: firstLine(sec('machine-id')) || null,
    virtualization: virtualizationOf(virt),
    container: isContainer(virt),
    python3: firstLine(sec('python')) || null,
    uid: uid ?? -1,
    isRoot: uid === 0,
  };
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim();
}

function toInt(text: string): number | null {
  return /^-?\d+$/.test(text) ? Number(text) : null;
}

function kbToMb(kb: number): number {
  return Math.floor(kb / 1024);
}

/** `key=value` lines (the probe's own sections). The first occurrence of a key wins. */
function keyValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i <= 0) continue;
    const k = line.slice(0, i).trim();
    if (!out.has(k)) out.set(k, line.slice(i + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return out;
}

/** `Key:   123 kB` lines (/proc/meminfo). */
function keyNumbers(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s+(\d+)/.exec(line.trim());
    if (m) out.set(m[1] ?? '', Number(m[2]));
  }
  return out;
}

function sumIfAny(m: Map<string, number>, keys: readonly string[]): number | null {
  const present = keys.filter((k) => m.has(k));
  return present.length ? present.reduce((a, k) => a + (m.get(k) ?? 0), 0) : null;
}

const GOARCH: Readonly<Record<string, string>> = {
  x86_64: 'amd64',
  amd64: 'amd64',
  aarch64: 'arm64',
  arm64: 'arm64',
  armv7l: 'arm',
  armv7: 'arm',
  armv6l: 'arm',
  armhf: 'arm',
  s390x: 's390x',
  ppc64le: 'ppc64le',
  riscv64: 'riscv64',
  i386: '386',
  i486: '386',
  i586: '386',
  i686: '386',
};

export function goarchOf(machine: string): string | null {
  return GOARCH[machine] ?? null;
}

/**
 * Addresses come from the best source the host had: `ip -o addr`, else `ip addr`, else
 * `ifconfig -a`; IPv6 falls back to /proc/net/if_inet6 when that source gave none. The
 * interface list also includes every /sys/class/net entry (with its MAC), addressed or not.
 */
function parseInterfaces(s: Map<string, string>): NetInterface[] {
  const oneline = s.get('ip-addr') ?? '';
  const full = s.get('ip-addr-full') ?? '';
  const table: AddrTable = oneline
    ? parseIpOneline(oneline)
    : full
      ? parseIpAddrFull(full)
      : parseIfconfig(s.get('ifconfig') ?? '');
  const anyV6 = [...table.values()].some((a) => a.ipv6.length > 0);
  if (!anyV6) {
    for (const [name, set] of parseProcIfInet6(s.get('proc-if-inet6') ?? '')) {
      const slot = table.get(name);
      if (slot) slot.ipv6.push(...set.ipv6);
      else table.set(name, set);
    }
  }
  for (const { name, mac } of parseSysNet(s.get('sys-net') ?? '')) {
    const slot = table.get(name);
    if (!slot) table.set(name, { ipv4: [], ipv6: [], ...(mac ? { mac } : {}) });
    else if (mac && !slot.mac) slot.mac = mac;
  }
  return [...table].map(([name, a]) => ({ name, ipv4: a.ipv4, ipv6: a.ipv6, ...(a.mac ? { mac: a.mac } : {}) }));
}

function defaultRoute(r: RouteLine | undefined, ifaces: readonly NetInterface[], family: 4 | 6): DefaultRoute | null {
  if (!r) return null;
  const iface = ifaces.find((i) => i.name === r.interface);
  let address = r.src;
  if (!address && iface) {
    address =
      family === 4
        ? (iface.ipv4[0]?.address ?? null)
        : (iface.ipv6.find((a) => a.scope === 'global' || a.scope === null)?.address ?? iface.ipv6[0]?.address ?? null);
  }
  return { interface: r.interface, address, gateway: r.gateway };
}

/** /proc/swaps: `Filename Type Size Used Priority` header, then one device a line. */
function parseSwaps(text: string): SwapDevice[] {
  const out: SwapDevice[] = [];
  for (const line of text.split('\n').slice(1)) {
    const [path, type, size] = line.trim().split(/\s+/);
    if (!path || !type || !size) continue;
    out.push({ path: path.replace(/\\040/g, ' '), type, sizeKb: Number(size) });
  }
  return out;
}

function selinuxMode(v: string | undefined): SelinuxMode | null {
  const m = (v ?? '').toLowerCase();
  return m === 'enforcing' || m === 'permissive' || m === 'disabled' ? m : null;
}

function parseSelinux(kv: Map<string, string>): SelinuxInfo {
  const installed = kv.has('getenforce') || kv.get('config') === 'yes';
  const enforce = kv.get('enforce');
  const running =
    selinuxMode(kv.get('getenforce')) ?? (enforce === '1' ? 'enforcing' : enforce === '0' ? 'permissive' : null);
  return {
    installed,
    mode: installed ? (running ?? 'disabled') : null,
    configMode: selinuxMode(kv.get('SELINUX')),
    policyType: kv.get('SELINUXTYPE') || null,
  };
}

function initSystemOf(kv: Map<string, string>): InitSystem {
  const comm = kv.get('comm') ?? '';
  if (comm === 'systemd' || kv.get('systemd-dir') === 'yes') return 'systemd';
  if (comm === 'openrc-init' || (kv.get('openrc') === 'yes' && comm === 'init')) return 'openrc';
  if (comm === 'init') return 'sysvinit';
  return 'other';
}

const PKG_BY_FAMILY: Readonly<Record<OsFamily, readonly PkgMgr[]>> = {
  debian: ['apt'],
  redhat: ['dnf', 'yum'],
  suse: ['zypper'],
  alpine: ['apk'],
  other: [],
};
const PKG_ORDER: readonly PkgMgr[] = ['apt', 'dnf', 'yum', 'apk', 'zypper'];

/** The family's own manager when present (dnf before yum), else the first known one found. */
function pkgMgrOf(text: string, family: OsFamily): PkgMgr | null {
  const found = new Set(
    text
      .split('\n')
      .map((l) => l.trim())
      .map((l) => (l === 'apt-get' ? 'apt' : l)),
  );
  for (const p of [...PKG_BY_FAMILY[family], ...PKG_ORDER]) if (found.has(p)) return p;
  return null;
}

function cgroupVersionOf(kv: Map<string, string>): 1 | 2 {
  const fstype = kv.get('fstype') ?? '';
  if (fstype === 'cgroup2fs' || fstype === 'cgroup2') return 2;
  if (fstype) return 1;
  return kv.get('controllers') === 'yes' ? 2 : 1;
}

function virtualizationOf(kv: Map<string, string>): string | null {
  const v = kv.get('virt');
  if (v && v !== 'none') return v;
  const file = kv.get('container-file');
  if (file) return file;
  if (kv.get('dockerenv') === 'yes') return 'docker';
  if (kv.get('containerenv') === 'yes') return 'podman';
  return null;
}

/** systemd-detect-virt's container ids (its default output names one of these in a container). */
const CONTAINER_IDS = new Set(['openvz', 'lxc', 'lxc-libvirt', 'systemd-nspawn', 'docker', 'podman', 'rkt', 'wsl', 'proot', 'pouch']);

function isContainer(kv: Map<string, string>): boolean {
  const c = kv.get('container');
  return (
    (c !== undefined && c !== '' && c !== 'none') ||
    CONTAINER_IDS.has(kv.get('virt') ?? '') ||
    !!kv.get('container-file') ||
    kv.get('dockerenv') === 'yes' ||
    kv.get('containerenv') === 'yes'
  );
}
