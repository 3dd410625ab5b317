/**
 * The flags of `k3s server` and `k3s agent` (k3s v1.28, pkg/cli/cmds), by long name, with the
 * kind of value each takes. config.yaml keys are these names; the module refuses any other key
 * before writing the file (k3s itself only warns "Unknown flag --x found in config.yaml,
 * skipping", so a typo would otherwise be silently ignored). Pure data and lookups.
 */

export type FlagKind = 'string' | 'bool' | 'int' | 'list' | 'duration';

const s = 'string' as const;
const b = 'bool' as const;
const i = 'int' as const;
const l = 'list' as const;
const d = 'duration' as const;

const COMMON: Record<string, FlagKind> = { config: s, debug: b, v: i, vmodule: s, log: s, alsologtostderr: b };

/** Flags of the node/agent part, accepted by both `server` and `agent`. */
const NODE: Record<string, FlagKind> = {
  'node-name': s, 'with-node-id': b, 'node-label': l, 'node-taint': l, 'image-credential-provider-bin-dir': s,
  'image-credential-provider-config': s, docker: b, 'container-runtime-endpoint': s, 'default-runtime': s,
  'image-service-endpoint': s, 'disable-default-registry-endpoint': b, 'pause-image': s, snapshotter: s,
  'private-registry': s, 'airgap-extra-registry': l, 'node-ip': l, 'node-external-ip': l, 'resolv-conf': s,
  'flannel-iface': s, 'flannel-conf': s, 'flannel-cni-conf': s, 'vpn-auth': s, 'vpn-auth-file': s, 'kubelet-arg': l,
  'kube-proxy-arg': l, 'protect-kernel-defaults': b, rootless: b, 'prefer-bundled-bin': b, selinux: b, 'lb-server-port': i,
};

export const AGENT_FLAGS: Readonly<Record<string, FlagKind>> = {
  ...COMMON, ...NODE, token: s, 'token-file': s, server: s, 'data-dir': s, 'disable-selinux': b, 'no-flannel': b,
};

export const SERVER_FLAGS: Readonly<Record<string, FlagKind>> = {
  ...COMMON, ...NODE,
  'bind-address': s, 'https-listen-port': i, 'advertise-address': s, 'advertise-port': i, 'tls-san': l, 'tls-san-security': b,
  'data-dir': s, 'cluster-cidr': l, 'service-cidr': l, 'service-node-port-range': s, 'cluster-dns': l, 'cluster-domain': s,
  'flannel-backend': s, 'flannel-ipv6-masq': b, 'flannel-external-ip': b, 'egress-selector-mode': s, 'servicelb-namespace': s,
  'write-kubeconfig': s, 'write-kubeconfig-mode': s, 'write-kubeconfig-group': s, 'helm-job-image': s, token: s,
  'token-file': s, 'agent-token': s, 'agent-token-file': s, server: s, 'cluster-init': b, 'cluster-reset': b,
  'cluster-reset-restore-path': s, 'kube-apiserver-arg': l, 'etcd-arg': l, 'kube-controller-manager-arg': l,
  'kube-scheduler-arg': l, 'kube-cloud-controller-manager-arg': l, 'datastore-endpoint': s, 'datastore-cafile': s,
  'datastore-certfile': s, 'datastore-keyfile': s, 'etcd-expose-metrics': b, 'etcd-disable-snapshots': b,
  'etcd-snapshot-name': s, 'etcd-snapshot-schedule-cron': s, 'etcd-snapshot-retention': i, 'etcd-snapshot-dir': s,
  'etcd-snapshot-compress': b, 'etcd-s3': b, 'etcd-s3-endpoint': s, 'etcd-s3-endpoint-ca': s, 'etcd-s3-skip-ssl-verify': b,
  'etcd-s3-access-key': s, 'etcd-s3-secret-key': s, 'etcd-s3-bucket': s, 'etcd-s3-region': s, 'etcd-s3-folder': s,
  'etcd-s3-insecure': b, 'etcd-s3-timeout': d, 'default-local-storage-path': s, disable: l, 'disable-scheduler': b,
  'disable-cloud-controller': b, 'disable-kube-proxy': b, 'disable-network-policy': b, 'disable-helm-controller': b,
  'disable-apiserver': b, 'disable-controller-manager': b, 'disable-etcd': b, 'embedded-registry': b,
  'system-default-registry': s, 'secrets-encryption': b, 'enable-pprof': b, 'disable-agent': b,
};

/**
 * Keys that must hold the same value on every server of a cluster (docs.k3s.io "Critical
 * Configuration Values"; with embedded etcd a server with other values fails to join).
 */
export const CRITICAL_SERVER_FLAGS: readonly string[] = [
  'agent-token', 'cluster-cidr', 'cluster-dns', 'cluster-domain', 'disable-cloud-controller', 'disable-helm-controller',
  'disable-network-policy', 'disable', 'disable-kube-proxy', 'egress-selector-mode', 'flannel-backend', 'flannel-external-ip',
  'flannel-ipv6-masq', 'secrets-encryption', 'service-cidr',
];

/** Keys that carry secrets: given through the module's secret arguments only, masked in diffs. */
export const SECRET_KEYS: readonly string[] = ['token', 'agent-token', 'datastore-endpoint', 'etcd-s3-secret-key', 'etcd-s3-access-key', 'vpn-auth'];

export function flagsFor(role: 'server' | 'agent'): Readonly<Record<string, FlagKind>> {
  return role === 'server' ? SERVER_FLAGS : AGENT_FLAGS;
}
