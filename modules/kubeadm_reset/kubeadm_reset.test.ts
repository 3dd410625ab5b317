import { describe, expect, it } from 'vitest';
import { undescribed } from '../../test/schema-descriptions.js';
import kubeadmReset, { parseResetRead, planReset } from './index.js';

describe('kubeadm_reset', () => {
  it('converged: nothing of Kubernetes left', () => {
    expect(planReset({}, parseResetRead('kubeadm=yes\n'))).toEqual([]);
  });
  it('a joined node: kubeadm reset -f, then the CNI directories and the join material', () => {
    const cur = parseResetRead('file /etc/kubernetes/kubelet.conf\nfile /etc/kubernetes/pki/ca.crt\ndir /etc/cni/net.d\ndir /etc/kubernetes/k3play\nkubeadm=yes\n');
    expect(planReset({}, cur)).toEqual([
      { summary: 'kubeadm reset -f (/etc/kubernetes/kubelet.conf, /etc/kubernetes/pki/ca.crt present)', steps: [{ kind: 'exec', cmd: ['kubeadm', 'reset', '-f'], timeoutMs: 180_000 }] },
      {
        summary: 'remove /etc/cni/net.d, /etc/kubernetes/k3play',
        steps: [
          { kind: 'remove', path: '/etc/cni/net.d', recursive: true },
          { kind: 'remove', path: '/etc/kubernetes/k3play', recursive: true },
        ],
      },
    ]);
  });
  it('only leftovers (reset done before, CNI dirs remain)', () => {
    expect(planReset({}, parseResetRead('dir /var/lib/cni\nkubeadm=yes\n')).map((c) => c.summary)).toEqual(['remove /var/lib/cni']);
  });
  it('kubeadm uninstalled: the files are removed without it', () => {
    const [c] = planReset({}, parseResetRead('file /etc/kubernetes/kubelet.conf\n'));
    expect(JSON.stringify(c!.steps)).toContain('systemctl stop kubelet');
  });
  it('every argument is described', () => expect(undescribed(kubeadmReset.args)).toEqual([]));
});
