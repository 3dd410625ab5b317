import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { undescribed } from '../../test/schema-descriptions.js';
import kubectlApply, { planApply } from './index.js';
import { parseKubectlDiff } from './kubectl-diff.js';

const testdata = (n: string) => readFileSync(new URL(`./testdata/${n}`, import.meta.url), 'utf8');

describe('kubectl_apply', () => {
  it('parses kubectl diff output: one before/after per object, creations with before null', () => {
    expect(parseKubectlDiff(testdata('diff-create-and-update.txt'))).toEqual([
      { object: 'v1.ConfigMap.kube-flannel.kube-flannel-cfg', before: 'apiVersion: v1\ndata:\n  net-conf.json: \'{"Network": "10.42.0.0/16"}\'\n', after: 'apiVersion: v1\ndata:\n  net-conf.json: \'{"Network": "10.244.0.0/16"}\'\n' },
      { object: 'v1.Namespace..kube-system2', before: null, after: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kube-system2\n' },
    ]);
  });
  it('converged: kubectl diff found nothing', () => expect(planApply({ definition: 'x' }, { diffs: [] })).toEqual([]));
  it('one change per object, one server-side apply with the manifest on stdin', () => {
    const diffs = parseKubectlDiff(testdata('diff-create-and-update.txt'));
    const changes = planApply({ definition: 'MANIFEST' }, { diffs });
    expect(changes.map((c) => c.summary)).toEqual(['update v1.ConfigMap.kube-flannel.kube-flannel-cfg (server-side apply)', 'create v1.Namespace..kube-system2 (server-side apply)']);
    expect(changes[0]!.steps).toEqual([]);
    expect(changes[1]!.steps).toEqual([
      { kind: 'exec', cmd: { kind: 'sh', script: 'kubectl apply --kubeconfig /etc/kubernetes/admin.conf --server-side --field-manager k3play -f -' }, stdin: 'MANIFEST', timeoutMs: 120_000 },
    ]);
  });
  it('every argument is described', () => expect(undescribed(kubectlApply.args)).toEqual([]));
});
