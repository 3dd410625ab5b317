/**
 * The kubeadm configuration file of kubeadm_init, rendered from args: ClusterConfiguration,
 * KubeletConfiguration and, last, InitConfiguration (last so that the apply script can append
 * the secret fields -- bootstrapTokens, certificateKey -- to it on the host, into a 0600 copy:
 * the recorded file never holds a secret). Pure.
 */
import { stringify } from 'yaml';
import type { KubeadmInitArgs } from './args.js';

export const CONFIG_HEADER =
  '# Managed by k3play (kubeadm_init): the configuration this cluster was initialised with.\n# No secrets here: the token and certificate key are added on the host, into a 0600 copy, when used.\n';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge (objects merge, everything else is replaced by `over`). */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObject(v) && isObject(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  return out;
}

export function renderKubeadmConfig(a: KubeadmInitArgs): string {
  const networking: Record<string, unknown> = {};
  if (a.pod_subnet) networking['podSubnet'] = a.pod_subnet;
  if (a.service_subnet) networking['serviceSubnet'] = a.service_subnet;
  const cluster = deepMerge(
    {
      apiVersion: 'kubeadm.k8s.io/v1beta3',
      kind: 'ClusterConfiguration',
      kubernetesVersion: a.kubernetes_version,
      ...(a.cluster_name ? { clusterName: a.cluster_name } : {}),
      controlPlaneEndpoint: a.control_plane_endpoint,
      ...(Object.keys(networking).length ? { networking } : {}),
      ...(a.cert_sans?.length ? { apiServer: { certSANs: a.cert_sans } } : {}),
    },
    a.cluster_config ?? {},
  );
  const kubelet = { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', cgroupDriver: a.cgroup_driver ?? 'systemd' };
  const init: Record<string, unknown> = { apiVersion: 'kubeadm.k8s.io/v1beta3', kind: 'InitConfiguration' };
  if (a.advertise_address) init['localAPIEndpoint'] = { advertiseAddress: a.advertise_address, bindPort: a.bind_port ?? 6443 };
  if (a.node_name) init['nodeRegistration'] = { name: a.node_name };
  return CONFIG_HEADER + [cluster, kubelet, init].map((d) => stringify(d)).join('---\n');
}
