/**
 * HostFacts: the typed shape of what the probe learns about one host, exposed to templates as
 * `facts.*` (and `ansible_*` aliases, see ansible-aliases.ts). Data only: no parsing, no I/O.
 * Volatile values (`epoch`, `memory.availableMb`) are null when the facts come from the
 * persistent cache, which stores only stable facts (see facts-cache.ts).
 */

export type OsFamily = 'debian' | 'redhat' | 'suse' | 'alpine' | 'other';
export type InitSystem = 'systemd' | 'openrc' | 'sysvinit' | 'other';
export type PkgMgr = 'apt' | 'dnf' | 'yum' | 'apk' | 'zypper';
export type SelinuxMode = 'enforcing' | 'permissive' | 'disabled';

export interface OsInfo {
  /** os-release ID, e.g. "debian", "rocky", "alpine"; "" when unknown. */
  readonly id: string;
  /** os-release ID_LIKE words, e.g. ["rhel", "centos", "fedora"]. */
  readonly idLike: readonly string[];
  /** os-release NAME, e.g. "Rocky Linux". */
  readonly name: string;
  /** os-release VERSION_ID, e.g. "12", "8.9", "3.19.1"; "" when absent (Debian testing). */
  readonly versionId: string;
  readonly family: OsFamily;
  readonly prettyName: string;
  /** VERSION_CODENAME, else the parenthesised part of VERSION ("Green Obsidian"), else null. */
  readonly codename: string | null;
}

export interface Ipv4Address {
  readonly address: string;
  readonly prefix: number;
}

export interface Ipv6Address {
  readonly address: string;
  readonly prefix: number;
  /** "global", "link", "host", ... or null when the source does not say. */
  readonly scope: string | null;
}

export interface NetInterface {
  readonly name: string;
  readonly ipv4: readonly Ipv4Address[];
  readonly ipv6: readonly Ipv6Address[];
  /** Lower-case MAC address, absent when the host does not report one. */
  readonly mac?: string;
}

export interface DefaultRoute {
  readonly interface: string;
  /** The route's `src`, else the interface's first address of that family; null if none. */
  readonly address: string | null;
  /** null for a device route without a gateway (`default dev wg0`). */
  readonly gateway: string | null;
}

export interface SwapDevice {
  readonly path: string;
  /** "partition" or "file". */
  readonly type: string;
  readonly sizeKb: number;
}

export interface SelinuxInfo {
  /** getenforce exists or /etc/selinux/config exists. */
  readonly installed: boolean;
  /** Running mode; null when SELinux is not installed. */
  readonly mode: SelinuxMode | null;
  /** SELINUX= from /etc/selinux/config; null when there is no config. */
  readonly configMode: SelinuxMode | null;
  /** SELINUXTYPE= from /etc/selinux/config, e.g. "targeted". */
  readonly policyType: string | null;
}

export interface HostFacts {
  readonly os: OsInfo;
  /** Kernel release (`uname -r`), e.g. "6.1.0-18-amd64". */
  readonly kernel: string;
  /** Raw machine (`uname -m`), e.g. "x86_64", "aarch64". */
  readonly arch: string;
  /** Go/k3s-download architecture: amd64, arm64, arm, s390x, ppc64le, riscv64, 386; null if unknown. */
  readonly goarch: string | null;
  readonly hostname: string;
  /** `hostname -f`, or the hostname when that fails. */
  readonly fqdn: string;
  readonly interfaces: readonly NetInterface[];
  readonly defaultIpv4: DefaultRoute | null;
  readonly defaultIpv6: DefaultRoute | null;
  readonly memory: {
    readonly totalMb: number;
    /** Volatile: null when loaded from the persistent cache. */
    readonly availableMb: number | null;
  };
  readonly swap: { readonly totalMb: number; readonly devices: readonly SwapDevice[] };
  readonly cpus: number;
  readonly selinux: SelinuxInfo;
  readonly initSystem: InitSystem;
  /** Preferred package manager (dnf over yum); null when none of the known ones exists. */
  readonly pkgMgr: PkgMgr | null;
  readonly cgroupVersion: 1 | 2;
  /** Host clock, seconds since the epoch (UTC). Volatile: null when from the persistent cache. */
  readonly epoch: number | null;
  readonly machineId: string | null;
  /** systemd-detect-virt's answer ("kvm", "systemd-nspawn", "docker"...), null for none/unknown. */
  readonly virtualization: string | null;
  /** Running inside a container (nspawn, docker, podman, lxc...). */
  readonly container: boolean;
  /** Path of python3 on the host, for information only (k3play never needs it). */
  readonly python3: string | null;
  readonly uid: number;
  readonly isRoot: boolean;
}
