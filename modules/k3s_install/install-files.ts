/**
 * The files k3s_install writes, rendered from args, pure: the systemd unit and its env file as
 * the k3s install script writes them (k3s.service / k3s-agent.service with
 * /etc/systemd/system/<unit>.env), k3s-killall.sh and the uninstall script (same behaviour as
 * the installer's), and /etc/rancher/k3s/config.yaml (keys = long flag names). Also the masked
 * text of a config or env file for diffs: secrets never reach the output, not even old values
 * that are no longer registered as secrets.
 */
import { MASK } from '../../src/module-api/index.js';
import { SECRET_KEYS } from './k3s-flags.js';

export const BIN_DIR = '/usr/local/bin';
export const BIN = `${BIN_DIR}/k3s`;
export const SYSTEMD_DIR = '/etc/systemd/system';
export const CONFIG_DIR = '/etc/rancher/k3s';
export const CONFIG_FILE = `${CONFIG_DIR}/config.yaml`;
export const DATA_DIR = '/var/lib/rancher/k3s';
export const IMAGES_DIR = `${DATA_DIR}/agent/images`;
export const KILLALL = `${BIN_DIR}/k3s-killall.sh`;
export const SYMLINKS = ['kubectl', 'crictl', 'ctr'] as const;

export type Role = 'server' | 'agent';

export interface RoleFiles {
  /** k3s | k3s-agent */
  readonly unit: string;
  readonly unitFile: string;
  readonly envFile: string;
  readonly uninstall: string;
}

export function roleFiles(role: Role): RoleFiles {
  const unit = role === 'server' ? 'k3s' : 'k3s-agent';
  return { unit, unitFile: `${SYSTEMD_DIR}/${unit}.service`, envFile: `${SYSTEMD_DIR}/${unit}.service.env`, uninstall: `${BIN_DIR}/${unit}-uninstall.sh` };
}

export function otherRole(role: Role): Role {
  return role === 'server' ? 'agent' : 'server';
}

/** The unit the install script writes (systemd, Type=notify), with the command in ExecStart and the flags in config.yaml. */
export function unitText(role: Role): string {
  const f = roleFiles(role);
  return [
    '[Unit]',
    'Description=Lightweight Kubernetes',
    'Documentation=https://k3s.io',
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
    '[Service]',
    'Type=notify',
    'EnvironmentFile=-/etc/default/%N',
    'EnvironmentFile=-/etc/sysconfig/%N',
    `EnvironmentFile=-${f.envFile}`,
    'KillMode=process',
    'Delegate=yes',
    'User=root',
    '# Limits as the k3s install script sets them (accounting is left to cgroups).',
    'LimitNOFILE=1048576',
    'LimitNPROC=infinity',
    'LimitCORE=infinity',
    'TasksMax=infinity',
    'TimeoutStartSec=0',
    'Restart=always',
    'RestartSec=5s',
    'ExecStartPre=-/sbin/modprobe br_netfilter',
    'ExecStartPre=-/sbin/modprobe overlay',
    `ExecStart=${BIN} \\`,
    `    ${role} \\`,
    '',
    '',
  ].join('\n');
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** KEY="value" lines (systemd EnvironmentFile quoting); empty when there is nothing to pass. */
export function envText(env: Readonly<Record<string, string>>): string {
  return Object.keys(env)
    .sort()
    .map((k) => `${k}="${env[k]!.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"\n`)
    .join('');
}

export function validEnvName(k: string): boolean {
  return ENV_NAME.test(k);
}

export type ConfigValue = string | number | boolean | readonly string[];

/** config.yaml: the first keys in `order`, then the rest sorted; strings JSON-quoted (valid YAML). */
export function configText(entries: ReadonlyMap<string, ConfigValue>, order: readonly string[]): string {
  const keys = [...order.filter((k) => entries.has(k)), ...[...entries.keys()].filter((k) => !order.includes(k)).sort()];
  const lines = ['# managed by k3play (k3s_install); k3s reads it at start: keys are the long flag names'];
  for (const k of keys) {
    const v = entries.get(k)!;
    if (Array.isArray(v)) {
      lines.push(`${k}:`, ...v.map((x) => `  - ${JSON.stringify(x)}`));
    } else {
      lines.push(`${k}: ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The password part of a datastore endpoint (mysql://user:PASS@tcp(...), postgres://user:PASS@...). */
export function maskEndpoint(endpoint: string): string {
  return endpoint.replace(/(:\/\/[^:/@]*:)[^@]*@/, `$1${MASK}@`);
}

const SECRET_LINE = new RegExp(`^(\\s*["']?(?:${SECRET_KEYS.filter((k) => k !== 'datastore-endpoint').join('|')})\\+?["']?\\s*:)(.*)$`);
const ENDPOINT_LINE = /^(\s*["']?datastore-endpoint["']?\s*:)(.*)$/;
const ENV_SECRET = /^((?:export\s+)?(?:K3S_TOKEN|K3S_AGENT_TOKEN|K3S_DATASTORE_ENDPOINT|K3S_CLUSTER_SECRET|AWS_SECRET_ACCESS_KEY|K3S_VPN_AUTH)\s*=)(.*)$/;

/** A config.yaml (ours or anyone's) with every secret value replaced by the mask, for diffs. */
export function maskConfigText(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const s = SECRET_LINE.exec(line);
      if (s) return s[2]!.trim() === '' ? line : `${s[1]} "${MASK}"`;
      const e = ENDPOINT_LINE.exec(line);
      return e ? `${e[1]}${maskEndpoint(e[2]!)}` : line;
    })
    .join('\n');
}

/** An env file with secret variables and any URL password masked. */
export function maskEnvText(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const m = ENV_SECRET.exec(line);
      return m ? `${m[1]}"${MASK}"` : maskEndpoint(line);
    })
    .join('\n');
}

/** Stops every k3s unit and what k3s started (mounts, CNI links, iptables rules), as the installer's k3s-killall.sh. */
export function killallText(): string {
  return `#!/bin/sh
# k3s-killall.sh, written by k3play (k3s_install): stops the k3s units and removes what k3s set up
# at runtime (container shims, mounts, CNI interfaces and iptables rules). Data is kept.
[ "$(id -u)" -eq 0 ] || exec sudo --preserve-env=K3S_DATA_DIR "$0" "$@"
K3S_DATA_DIR=\${K3S_DATA_DIR:-${DATA_DIR}}
set -x

for service in ${SYSTEMD_DIR}/k3s*.service; do
    [ -s "$service" ] && systemctl stop "$(basename "$service")"
done

# Container shims of the bundled containerd survive the unit (KillMode=process): kill them.
shims=$(ps -e -o pid= -o args= | awk -v d="$K3S_DATA_DIR/data/" 'index($2, d) == 1 && $2 ~ /containerd-shim/ {print $1}')
[ -n "$shims" ] && kill -9 $shims 2>/dev/null

unmount_and_remove() {
    awk -v p="$1" 'index($2, p) == 1 {print $2}' /proc/self/mounts | sort -r | while read -r m; do
        umount -f "$m" && rm -rf "$m"
    done
}
unmount_and_remove /run/k3s
unmount_and_remove /var/lib/kubelet/pods
unmount_and_remove /var/lib/kubelet/plugins
unmount_and_remove /run/netns/cni-

ip netns show 2>/dev/null | awk '/^cni-/ {print $1}' | while read -r ns; do ip netns delete "$ns"; done
ip link show 2>/dev/null | awk -F': ' '/master cni0/ {sub(/@.*/, "", $2); print $2}' | while read -r i; do ip link delete "$i"; done
for i in cni0 flannel.1 flannel-v6.1 kube-ipvs0 flannel-wg flannel-wg-v6; do ip link delete "$i" 2>/dev/null; done

rm -rf /var/lib/cni/
for t in iptables ip6tables; do
    if command -v "$t-save" >/dev/null 2>&1 && command -v "$t-restore" >/dev/null 2>&1; then
        "$t-save" | grep -v KUBE- | grep -v CNI- | grep -iv flannel | "$t-restore"
    fi
done
exit 0
`;
}

/** Removes k3s from the host (data included), as the installer's k3s-uninstall.sh / k3s-agent-uninstall.sh. */
export function uninstallText(role: Role): string {
  const f = roleFiles(role);
  return `#!/bin/sh
# ${f.unit}-uninstall.sh, written by k3play (k3s_install): removes k3s from this host, its data included.
set -x
[ "$(id -u)" -eq 0 ] || exec sudo --preserve-env=K3S_DATA_DIR "$0" "$@"
K3S_DATA_DIR=\${K3S_DATA_DIR:-${DATA_DIR}}

${KILLALL}

if command -v systemctl; then
    systemctl disable ${f.unit}
    systemctl reset-failed ${f.unit}
    systemctl daemon-reload
fi
rm -f ${f.unitFile}
rm -f ${f.envFile}

trap 'rm -f ${f.uninstall}' EXIT

if ls ${SYSTEMD_DIR}/k3s*.service >/dev/null 2>&1; then
    set +x; echo 'Additional k3s services installed, skipping uninstall of k3s'; set -x
    exit
fi

for cmd in ${SYMLINKS.join(' ')}; do
    if [ -L ${BIN_DIR}/$cmd ]; then
        rm -f ${BIN_DIR}/$cmd
    fi
done

# Remove a directory tree, but never what is mounted inside it (only the mount point's content).
clean_mounted_directory() {
    if ! grep -q " $1" /proc/mounts; then
        rm -rf "$1"
        return 0
    fi
    for path in "$1"/*; do
        if [ -d "$path" ]; then
            if grep -q " $path" /proc/mounts; then clean_mounted_directory "$path"; else rm -rf "$path"; fi
        else
            rm -f "$path"
        fi
    done
}

rm -rf ${CONFIG_DIR}
rm -rf /run/k3s
rm -rf /run/flannel
clean_mounted_directory "$K3S_DATA_DIR"
rm -rf /var/lib/kubelet
rm -f ${BIN}
rm -f ${KILLALL}
`;
}
