/**
 * Argument schema of the `kubeadm_init` module: the ClusterConfiguration / InitConfiguration /
 * KubeletConfiguration of the first control plane, from vars, and whether to make sure fresh
 * join material exists (a bootstrap token, uploaded control-plane certificates) for the joins
 * that follow. Cross-argument rules are checked in plan-init.ts.
 */
import type { SchemaObject } from 'ajv';

export interface KubeadmInitArgs {
  control_plane_endpoint: string;
  kubernetes_version: string;
  pod_subnet?: string;
  service_subnet?: string;
  cluster_name?: string;
  node_name?: string;
  advertise_address?: string;
  bind_port?: number;
  cgroup_driver?: 'systemd' | 'cgroupfs';
  cert_sans?: string[];
  upload_certs?: boolean;
  cluster_config?: Record<string, unknown>;
  refresh_token?: boolean;
  refresh_certificate_key?: boolean;
  token_ttl?: string;
  min_token_ttl?: number;
  min_certs_ttl?: number;
  material_dir?: string;
  init_timeout?: number;
}

export const DEFAULT_MATERIAL_DIR = '/etc/kubernetes/k3play';
export const ADMIN_CONF = '/etc/kubernetes/admin.conf';

export const kubeadmInitArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['control_plane_endpoint', 'kubernetes_version'],
  properties: {
    control_plane_endpoint: {
      type: 'string',
      pattern: '^[A-Za-z0-9.-]+:[0-9]+$',
      description: 'controlPlaneEndpoint, HOST:PORT of the load balancer in front of every control plane (the VIP and haproxy port, e.g. 10.0.0.10:16443). Required: without it no second control plane can join.',
    },
    kubernetes_version: { type: 'string', pattern: '^v[0-9]+\\.[0-9]+\\.[0-9]+$', description: 'kubernetesVersion, e.g. v1.28.4: the version of the kubeadm/kubelet packages.' },
    pod_subnet: { type: 'string', description: 'networking.podSubnet: the pod CIDR the CNI uses (flannel: 10.244.0.0/16).' },
    service_subnet: { type: 'string', description: 'networking.serviceSubnet (kubeadm default 10.96.0.0/12).' },
    cluster_name: { type: 'string', description: 'clusterName (default kubernetes).' },
    node_name: { type: 'string', description: 'nodeRegistration.name of this control plane (default: its hostname).' },
    advertise_address: { type: 'string', description: "localAPIEndpoint.advertiseAddress: this control plane's own address (the API server listens there)." },
    bind_port: { type: 'integer', minimum: 1, maximum: 65535, default: 6443, description: 'localAPIEndpoint.bindPort of the API server (6443).' },
    cgroup_driver: {
      type: 'string',
      enum: ['systemd', 'cgroupfs'],
      default: 'systemd',
      description: "KubeletConfiguration.cgroupDriver; must match the container runtime's (containerd SystemdCgroup = true means systemd).",
    },
    cert_sans: { type: 'array', items: { type: 'string', description: 'One SAN (IP or DNS name).' }, description: 'apiServer.certSANs: extra names of the API serving certificate (the VIP is in controlPlaneEndpoint already).' },
    upload_certs: { type: 'boolean', default: true, description: 'kubeadm init --upload-certs: the control-plane certificates go into the kubeadm-certs Secret (2 h), so other control planes can join with a certificate key.' },
    cluster_config: { type: 'object', description: 'Further ClusterConfiguration fields, merged over the ones above (e.g. apiServer.extraArgs).' },
    refresh_token: {
      type: 'boolean',
      default: false,
      description: 'Make sure a join token recorded by k3play is valid for at least min_token_ttl more seconds; create a new one (kubeadm token create) otherwise. Set it when a node is about to join.',
    },
    refresh_certificate_key: {
      type: 'boolean',
      default: false,
      description:
        'Make sure the uploaded certificates (kubeadm-certs, deleted 2 h after an upload) stay for at least min_certs_ttl more seconds; upload them again with a new certificate key (kubeadm init phase upload-certs) otherwise. Set it when a control plane is about to join.',
    },
    token_ttl: { type: 'string', pattern: '^([0-9]+h)?([0-9]+m)?([0-9]+s)?$', default: '24h0m0s', description: 'TTL of the tokens this module creates (kubeadm duration, default 24h0m0s).' },
    min_token_ttl: { type: 'integer', minimum: 0, default: 3600, description: 'Seconds a recorded token must still be valid for refresh_token to keep it.' },
    min_certs_ttl: { type: 'integer', minimum: 0, default: 900, description: 'Seconds the uploaded certificates must still live for refresh_certificate_key to keep them.' },
    material_dir: {
      type: 'string',
      default: DEFAULT_MATERIAL_DIR,
      description: 'Directory (0700) on the control plane where k3play keeps kubeadm-config.yaml (the configuration the cluster was initialised with, no secrets) and the join material: token and certificate-key (0600 files, read by later tasks as secrets).',
    },
    init_timeout: { type: 'integer', minimum: 10, default: 300, description: 'Seconds kubeadm init (or upload-certs) may take.' },
  },
};
