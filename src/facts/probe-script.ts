/**
 * The fact probe: ONE POSIX sh script, run in one round trip per host, that prints raw command
 * output in sections delimited by marker lines `@@k3play:<section>@@`. It must work with dash and
 * busybox sh (no bash-isms, no python on the target), never write anything, and always exit 0:
 * a missing command leaves its section empty, and parse-facts.ts decides what that means.
 * Interpretation lives in the parser (pure, tested from testdata/), not here.
 *
 * Sections (in order): begin (format version), os-release, uname (`uname -srm`), hostname, fqdn,
 * ip-addr (`ip -o addr show`), ip-addr-full (`ip addr show`, only when ip -o gave nothing),
 * ifconfig (only when both gave nothing), route4, route6 (`ip -o -4|-6 route show default`),
 * proc-route (/proc/net/route), proc-if-inet6, sys-net (`<iface> <mac>` from /sys/class/net),
 * meminfo, cpus, swaps, selinux (key=value), init (key=value), pkg-mgr (one name a line),
 * cgroup (key=value), time (`date -u +%s`), machine-id, virt (key=value), python, id (`id -u`), end.
 *
 * Cost: a host with hundreds of peers runs this at once, so each fork+exec counts (about 1-8 ms
 * of target CPU each; systemd-detect-virt is the dearest). Files are read with the shell's own
 * `read` (rd), values never go through `$(...)` subshells where printing directly works, and
 * systemd-detect-virt runs once (its default answer names the container when there is one, else
 * the VM) and only when /run/systemd/container (written by systemd in a container) does not
 * already say it. The cgroup version is told by /sys/fs/cgroup/cgroup.controllers alone (present
 * only on the unified hierarchy), without stat. Key=value sections may hold blank lines; the
 * parser skips them.
 */

/** Bumped when a section's meaning changes; parse-facts.ts accepts this version. */
export const PROBE_FORMAT_VERSION = 1;

export const PROBE_MARKER_PREFIX = '@@k3play:';

export const PROBE_SCRIPT = `# k3play fact probe (format ${PROBE_FORMAT_VERSION}): read-only, POSIX sh, always exits 0
LC_ALL=C; export LC_ALL
PATH="$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"; export PATH
have() { command -v "$1" >/dev/null 2>&1; }
sec() { printf '\\n${PROBE_MARKER_PREFIX}%s@@\\n' "$1"; }
rd() { while IFS= read -r k3p_l || [ -n "$k3p_l" ]; do printf '%s\\n' "$k3p_l"; done < "$1"; }
sec begin
echo ${PROBE_FORMAT_VERSION}
sec os-release
rd /etc/os-release 2>/dev/null || rd /usr/lib/os-release 2>/dev/null
sec uname
uname -srm 2>/dev/null
sec hostname
rd /proc/sys/kernel/hostname 2>/dev/null || hostname 2>/dev/null || uname -n 2>/dev/null
sec fqdn
if have timeout; then timeout 5 hostname -f 2>/dev/null; else hostname -f 2>/dev/null; fi
k3p_ipo=''
if have ip; then k3p_ipo=$(ip -o addr show 2>/dev/null); fi
sec ip-addr
if [ -n "$k3p_ipo" ]; then printf '%s\\n' "$k3p_ipo"; fi
if [ -z "$k3p_ipo" ]; then
  k3p_ipa=''
  if have ip; then k3p_ipa=$(ip addr show 2>/dev/null); fi
  sec ip-addr-full
  if [ -n "$k3p_ipa" ]; then printf '%s\\n' "$k3p_ipa"; fi
  if [ -z "$k3p_ipa" ]; then
    sec ifconfig
    if have ifconfig; then ifconfig -a 2>/dev/null; fi
  fi
fi
sec route4
if have ip; then ip -o -4 route show default 2>/dev/null; fi
sec route6
if have ip; then ip -o -6 route show default 2>/dev/null; fi
sec proc-route
rd /proc/net/route 2>/dev/null
sec proc-if-inet6
rd /proc/net/if_inet6 2>/dev/null
sec sys-net
for k3p_d in /sys/class/net/*; do
  [ -e "$k3p_d" ] || continue
  k3p_m=''; read -r k3p_m < "$k3p_d/address" 2>/dev/null
  printf '%s %s\\n' "\${k3p_d##*/}" "$k3p_m"
done
sec meminfo
while IFS= read -r k3p_l; do
  case "$k3p_l" in MemTotal:*|MemFree:*|MemAvailable:*|Buffers:*|Cached:*|SwapTotal:*|SwapFree:*) printf '%s\\n' "$k3p_l";; esac
done < /proc/meminfo 2>/dev/null
sec cpus
nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || grep -c '^processor' /proc/cpuinfo 2>/dev/null
sec swaps
rd /proc/swaps 2>/dev/null
sec selinux
if have getenforce; then printf 'getenforce='; getenforce 2>/dev/null; echo; fi
if [ -r /sys/fs/selinux/enforce ]; then printf 'enforce='; rd /sys/fs/selinux/enforce 2>/dev/null; echo; fi
if [ -r /etc/selinux/config ]; then echo "config=yes"; grep -E '^[[:space:]]*SELINUX(TYPE)?=' /etc/selinux/config 2>/dev/null; fi
sec init
k3p_c=''; read -r k3p_c < /proc/1/comm 2>/dev/null; echo "comm=$k3p_c"
if [ -d /run/systemd/system ]; then echo "systemd-dir=yes"; fi
if [ -d /run/openrc ] || have openrc; then echo "openrc=yes"; fi
sec pkg-mgr
for k3p_p in apt-get dnf yum apk zypper; do if have "$k3p_p"; then echo "$k3p_p"; fi; done
sec cgroup
if [ -e /sys/fs/cgroup/cgroup.controllers ]; then echo "controllers=yes"; fi
sec time
date -u +%s 2>/dev/null
sec machine-id
rd /etc/machine-id 2>/dev/null || rd /var/lib/dbus/machine-id 2>/dev/null
sec virt
k3p_cf=''; [ -r /run/systemd/container ] && read -r k3p_cf < /run/systemd/container 2>/dev/null
if [ -z "$k3p_cf" ] && have systemd-detect-virt; then printf 'virt='; systemd-detect-virt 2>/dev/null; echo; fi
if [ -n "$k3p_cf" ]; then echo "container-file=$k3p_cf"; fi
if [ -e /.dockerenv ]; then echo "dockerenv=yes"; fi
if [ -e /run/.containerenv ]; then echo "containerenv=yes"; fi
sec python
command -v python3 2>/dev/null
sec id
k3p_u=''
while IFS= read -r k3p_l; do case "$k3p_l" in Uid:*) set -- $k3p_l; k3p_u=$2;; esac; done < /proc/self/status 2>/dev/null
if [ -n "$k3p_u" ]; then echo "$k3p_u"; else id -u 2>/dev/null; fi
sec end
exit 0
`;
