/**
 * `kubeadm_init`: the first control plane of a kubeadm cluster (field guide 002): `kubeadm init
 * --config` with controlPlaneEndpoint = the load balancer (VIP:PORT) and --upload-certs,
 * idempotent through /etc/kubernetes/admin.conf and a live API; and the join material for the
 * joins after it -- a bootstrap token and a certificate key -- recorded in 0600 files on this
 * host and refreshed when asked (tokens expire after 24 h, uploaded certificates after 2 h), so
 * that a late join still works. read: read-init.ts (one round trip); plan: plan-init.ts.
 */
import { defineModule } from '../../src/module-api/index.js';
import { DEFAULT_MATERIAL_DIR, kubeadmInitArgsSchema, type KubeadmInitArgs } from './args.js';
import { planInit } from './plan-init.js';
import { readInit, type KubeadmInitCurrent } from './read-init.js';

export default defineModule<KubeadmInitArgs, KubeadmInitCurrent>({
  name: 'kubeadm_init',
  summary: 'Initialise the first control plane with kubeadm init --config (controlPlaneEndpoint, --upload-certs) and keep a join token and certificate key fresh for later joins.',
  args: kubeadmInitArgsSchema,
  examples: [
    `- name: first control plane
  kubeadm_init:
    control_plane_endpoint: "{{ api_vip }}:16443"
    kubernetes_version: v1.28.4
    pod_subnet: 10.244.0.0/16
    advertise_address: "{{ ansible_host }}"
    refresh_token: true             # a node is about to join
    refresh_certificate_key: true   # a control plane is about to join`,
  ],
  read: (probe, args) => readInit(probe, args.material_dir ?? DEFAULT_MATERIAL_DIR),
  plan: planInit,
});
