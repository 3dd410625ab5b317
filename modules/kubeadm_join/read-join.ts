/**
 * What kubeadm_join reads, in one round trip: /etc/kubernetes/kubelet.conf (joined), the API
 * server manifest (a control plane), and the CA certificate this node trusts (to tell a node
 * of another cluster). No secrets are read.
 */
import { rawScript, type Probe } from '../../src/module-api/index.js';

export interface KubeadmJoinCurrent {
  readonly joined: boolean;
  readonly controlPlane: boolean;
  readonly caCert: string | null;
}

export const READ_SCRIPT = rawScript(`[ -f /etc/kubernetes/kubelet.conf ] && echo joined=yes
[ -f /etc/kubernetes/manifests/kube-apiserver.yaml ] && echo control_plane=yes
[ -f /etc/kubernetes/pki/ca.crt ] && echo "ca=$(base64 -w0 /etc/kubernetes/pki/ca.crt)"
true`);

export function parseJoinRead(out: string): KubeadmJoinCurrent {
  const lines = out.split('\n');
  const ca = lines.find((l) => l.startsWith('ca='))?.slice(3);
  return { joined: lines.includes('joined=yes'), controlPlane: lines.includes('control_plane=yes'), caCert: ca ? Buffer.from(ca, 'base64').toString('utf8') : null };
}

export async function readJoin(probe: Probe): Promise<KubeadmJoinCurrent> {
  return parseJoinRead((await probe.exec(READ_SCRIPT, { timeoutMs: 30_000 })).stdout);
}
