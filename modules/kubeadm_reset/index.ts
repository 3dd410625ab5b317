/**
 * `kubeadm_reset`: take Kubernetes off a node, for its removal or rebuild (field guide 002):
 * `kubeadm reset -f` (stops the kubelet, removes /etc/kubernetes/*.conf, manifests, pki,
 * /var/lib/kubelet; on a control plane its etcd member), then the CNI directories it leaves and
 * k3play's join material. Converged when none of those exist. Deleting the Node object is the
 * cluster's side (kubectl delete node, from a control plane: runbooks/remove-node.yml).
 */
import { defineModule, rawScript, sh, type Change } from '../../src/module-api/index.js';
import { DEFAULT_CNI_DIRS, kubeadmResetArgsSchema, type KubeadmResetArgs } from './args.js';

/** Files whose presence means kubeadm has set this node up. */
export const KUBEADM_FILES = ['/etc/kubernetes/kubelet.conf', '/etc/kubernetes/admin.conf', '/etc/kubernetes/manifests/kube-apiserver.yaml', '/etc/kubernetes/pki/ca.crt', '/var/lib/kubelet/config.yaml'];

export interface KubeadmResetCurrent {
  readonly kubeadmFiles: readonly string[];
  readonly leftovers: readonly string[];
  readonly kubeadmInstalled: boolean;
}

export function parseResetRead(out: string): KubeadmResetCurrent {
  const lines = out.split('\n');
  const kubeadmFiles = lines.filter((l) => l.startsWith('file ')).map((l) => l.slice(5));
  return { kubeadmFiles, leftovers: lines.filter((l) => l.startsWith('dir ')).map((l) => l.slice(4)), kubeadmInstalled: lines.includes('kubeadm=yes') };
}

export function planReset(a: KubeadmResetArgs, cur: KubeadmResetCurrent): Change[] {
  const changes: Change[] = [];
  if (cur.kubeadmFiles.length > 0) {
    changes.push({
      summary: `kubeadm reset -f (${cur.kubeadmFiles.join(', ')} present)`,
      steps: cur.kubeadmInstalled
        ? [{ kind: 'exec', cmd: ['kubeadm', 'reset', '-f'], timeoutMs: (a.reset_timeout ?? 180) * 1000 }]
        : [{ kind: 'exec', cmd: rawScript('systemctl stop kubelet 2>/dev/null; rm -rf /etc/kubernetes/*.conf /etc/kubernetes/manifests/* /etc/kubernetes/pki /var/lib/kubelet/*; true') }],
    });
  }
  if (cur.leftovers.length > 0) {
    changes.push({ summary: `remove ${cur.leftovers.join(', ')}`, steps: cur.leftovers.map((p) => ({ kind: 'remove' as const, path: p, recursive: true })) });
  }
  return changes;
}

export default defineModule<KubeadmResetArgs, KubeadmResetCurrent>({
  name: 'kubeadm_reset',
  summary: 'Remove Kubernetes from a node: kubeadm reset -f, then the CNI directories and k3play join material it leaves behind.',
  args: kubeadmResetArgsSchema,
  examples: [
    `- name: take the node out of Kubernetes
  kubeadm_reset: {}`,
  ],
  async read(probe, a) {
    const dirs = [...(a.cni_dirs ?? DEFAULT_CNI_DIRS), a.material_dir ?? '/etc/kubernetes/k3play'];
    const r = await probe.exec(
      sh`for f in ${KUBEADM_FILES}; do [ -e "$f" ] && echo "file $f"; done
for d in ${dirs}; do [ -e "$d" ] && echo "dir $d"; done
command -v kubeadm >/dev/null 2>&1 && echo kubeadm=yes; true`,
      { timeoutMs: 30_000 },
    );
    return parseResetRead(r.stdout);
  },
  plan: planReset,
});
