/**
 * kubeadm_join's plan (pure): nothing when this node has joined (kubelet.conf) the cluster of
 * the pinned CA in the asked role; a clear refusal when it belongs to another cluster or has
 * the other role (kubeadm_reset first); otherwise one step: the JoinConfiguration (token,
 * CA pin, certificate key) on stdin into a 0600 file, `kubeadm join --config` with its output
 * in a 0600 log (shown on failure with tokens and keys masked), the file removed after.
 */
import { stringify } from 'yaml';
import { isSecret, Secret, sh, TaskFailure, type Change } from '../../src/module-api/index.js';
import type { KubeadmJoinArgs } from './args.js';
import { caCertHash } from './ca-cert-hash.js';
import { MASK_SED } from '../kubeadm_init/plan-init.js';
import type { KubeadmJoinCurrent } from './read-join.js';

const TOKEN = /^[a-z0-9]{6}\.[a-z0-9]{16}$/;

const reveal = (v: string | Secret | undefined): string => (v === undefined ? '' : isSecret(v) ? v.reveal() : v);

export function wantedHash(a: KubeadmJoinArgs): string {
  if (a.ca_cert_hash) return a.ca_cert_hash;
  if (!a.ca_cert) throw new TaskFailure('kubeadm_join needs ca_cert (the cluster CA certificate) or ca_cert_hash', 'read /etc/kubernetes/pki/ca.crt of a control plane (kubeadm-ha.yml does) and pass it as ca_cert');
  try {
    return caCertHash(a.ca_cert);
  } catch (e) {
    throw new TaskFailure((e as Error).message, 'pass the PEM text of /etc/kubernetes/pki/ca.crt of a control plane');
  }
}

/** The JoinConfiguration (v1beta3) text; holds the token and certificate key. */
export function joinConfiguration(a: KubeadmJoinArgs, hash: string): string {
  const doc: Record<string, unknown> = {
    apiVersion: 'kubeadm.k8s.io/v1beta3',
    kind: 'JoinConfiguration',
    discovery: { bootstrapToken: { apiServerEndpoint: a.api_server_endpoint, token: reveal(a.token), caCertHashes: [hash] } },
    ...(a.node_name ? { nodeRegistration: { name: a.node_name } } : {}),
  };
  if (a.role === 'control-plane') {
    doc['controlPlane'] = { localAPIEndpoint: { advertiseAddress: a.advertise_address, bindPort: a.bind_port ?? 6443 }, certificateKey: reveal(a.certificate_key) };
  }
  return stringify(doc);
}

export function planJoin(a: KubeadmJoinArgs, cur: KubeadmJoinCurrent): Change[] {
  const hash = wantedHash(a);
  if (cur.joined) {
    const have = cur.caCert ? caCertHash(cur.caCert) : null;
    if (have && have !== hash) {
      throw new TaskFailure(`this node has joined another cluster: its CA is ${have}, the cluster asked for is ${hash}`, 'remove it from that cluster first (playbooks/runbooks/remove-node.yml, kubeadm_reset), then join again');
    }
    if (a.role === 'control-plane' && !cur.controlPlane) throw new TaskFailure('this node has joined as a worker, not as a control plane', 'kubeadm cannot promote a worker in place: remove it (runbooks/remove-node.yml) and join it again as a control plane');
    if (a.role === 'worker' && cur.controlPlane) throw new TaskFailure('this node is a control plane, not a worker', 'remove it (runbooks/remove-node.yml) and join it again as a worker');
    return [];
  }
  if (!TOKEN.test(reveal(a.token))) throw new TaskFailure('token is not a kubeadm bootstrap token ([a-z0-9]{6}.[a-z0-9]{16})', 'use the token kubeadm_init recorded (kubeadm-ha.yml reads it from the first control plane)');
  if (a.role === 'control-plane') {
    if (!/^[0-9a-f]{64}$/.test(reveal(a.certificate_key))) throw new TaskFailure('a control plane joins with certificate_key (64 hex digits; kubeadm init phase upload-certs)', 'run kubeadm_init with refresh_certificate_key: true first and pass the key it recorded');
    if (!a.advertise_address) throw new TaskFailure('a control plane joins with advertise_address (its own address)', 'set advertise_address: "{{ ansible_host }}"');
  }
  const d = a.material_dir ?? '/etc/kubernetes/k3play';
  const script = sh`set -e; umask 077; d=${d}; mkdir -p "$d"; cat > "$d/join.yaml"
systemctl enable kubelet.service 2>/dev/null  # started again at boot (kubeadm join only starts it)
if kubeadm join --config "$d/join.yaml" > "$d/join.log" 2>&1; then rm -f "$d/join.yaml"
else rc=$?; rm -f "$d/join.yaml"; echo "kubeadm join failed (exit $rc); the end of $d/join.log, tokens and keys masked:" >&2
  tail -n 25 "$d/join.log" | sed -E ${MASK_SED} >&2; exit $rc
fi`;
  return [
    {
      summary: `kubeadm join ${a.api_server_endpoint} as ${a.role === 'control-plane' ? `a control plane (advertise ${a.advertise_address}:${a.bind_port ?? 6443}, certificate key ********)` : 'a worker'} with token ******** and --discovery-token-ca-cert-hash ${hash}`,
      steps: [{ kind: 'exec', cmd: script, stdin: new Secret(joinConfiguration(a, hash)), timeoutMs: (a.join_timeout ?? 300) * 1000 }],
    },
  ];
}
