/**
 * `kubeadm_join`: a worker or a further control plane joins the cluster through its
 * controlPlaneEndpoint (field guide 002), with the token and certificate key kubeadm_init
 * recorded (kubeadm_init refresh_token / refresh_certificate_key make them fresh just before,
 * so a join days after the init still works) and the CA pinned by hash. Idempotent through
 * /etc/kubernetes/kubelet.conf. read: read-join.ts; plan: plan-join.ts.
 */
import { defineModule } from '../../src/module-api/index.js';
import { kubeadmJoinArgsSchema, type KubeadmJoinArgs } from './args.js';
import { planJoin } from './plan-join.js';
import { readJoin, type KubeadmJoinCurrent } from './read-join.js';

export default defineModule<KubeadmJoinArgs, KubeadmJoinCurrent>({
  name: 'kubeadm_join',
  summary: 'Join a worker or a control plane to a kubeadm cluster (token, CA hash pinned from the CA certificate, certificate key) through --config, so no secret is a process argument.',
  args: kubeadmJoinArgsSchema,
  secretArgs: ['token', 'certificate_key'],
  examples: [
    `- name: worker join
  kubeadm_join:
    role: worker
    api_server_endpoint: "{{ api_vip }}:16443"
    token: "{{ _kubeadm_token }}"
    ca_cert: "{{ _kubeadm_ca_cert }}"`,
    `- name: control-plane join
  kubeadm_join:
    role: control-plane
    api_server_endpoint: "{{ api_vip }}:16443"
    token: "{{ _kubeadm_token }}"
    certificate_key: "{{ _kubeadm_certificate_key }}"
    ca_cert: "{{ _kubeadm_ca_cert }}"
    advertise_address: "{{ ansible_host }}"`,
  ],
  read: (probe) => readJoin(probe),
  plan: planJoin,
});
