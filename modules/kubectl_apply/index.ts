/**
 * `kubectl_apply`: Kubernetes objects (e.g. the CNI manifest) applied server-side from a
 * control plane. read = `kubectl diff --server-side` (exit 0: nothing to do, 1: differences,
 * the diff itself), plan = one change per object that differs, with that object's diff, and
 * the apply step (`kubectl apply --server-side --field-manager k3play -f -`, the manifest on
 * stdin). So --check --diff shows exactly what apply would change, and a second run is [].
 */
import { defineModule, sh, TaskFailure, type Change } from '../../src/module-api/index.js';
import { parseKubectlDiff, type ObjectDiff } from './kubectl-diff.js';

export interface KubectlApplyArgs {
  definition?: string;
  src?: string;
  kubeconfig?: string;
  field_manager?: string;
  force_conflicts?: boolean;
}

export interface KubectlApplyCurrent {
  readonly diffs: readonly ObjectDiff[];
}

export const kubectlApplyArgsSchema = {
  type: 'object',
  additionalProperties: false,
  oneOf: [{ required: ['definition'] }, { required: ['src'] }],
  properties: {
    definition: { type: 'string', minLength: 1, description: 'The manifest: one or more YAML documents.' },
    src: { type: 'string', minLength: 1, description: "A manifest template on the controller (relative: the playbook's templates/ directory), rendered with the task's variables; instead of definition." },
    kubeconfig: { type: 'string', default: '/etc/kubernetes/admin.conf', description: 'kubeconfig of the cluster (on the host the task runs on: a control plane).' },
    field_manager: { type: 'string', default: 'k3play', description: 'Server-side apply field manager.' },
    force_conflicts: { type: 'boolean', default: false, description: 'kubectl apply --force-conflicts: take over fields another manager owns.' },
  },
};

function kubectlArgs(a: KubectlApplyArgs): string[] {
  return ['--kubeconfig', a.kubeconfig ?? '/etc/kubernetes/admin.conf', '--server-side', '--field-manager', a.field_manager ?? 'k3play', ...(a.force_conflicts ? ['--force-conflicts'] : [])];
}

export function planApply(a: KubectlApplyArgs, cur: KubectlApplyCurrent): Change[] {
  if (cur.diffs.length === 0) return [];
  const apply = { kind: 'exec' as const, cmd: sh`kubectl apply ${kubectlArgs(a)} -f -`, stdin: a.definition ?? '', timeoutMs: 120_000 };
  // One change per object (each with its diff); the one apply step runs with the last.
  return cur.diffs.map((d, i) => ({
    summary: `${d.before === null ? 'create' : 'update'} ${d.object} (server-side apply)`,
    diff: { path: d.object, before: d.before, after: d.after },
    steps: i === cur.diffs.length - 1 ? [apply] : [],
  }));
}

export default defineModule<KubectlApplyArgs, KubectlApplyCurrent>({
  name: 'kubectl_apply',
  summary: 'Apply Kubernetes manifests server-side (kubectl apply --server-side), idempotent through kubectl diff, whose output is the diff shown.',
  args: kubectlApplyArgsSchema,
  examples: [
    `- name: the CNI
  kubectl_apply:
    definition: "{{ _flannel_manifest }}"`,
  ],
  async prepare(a, ctx) {
    if (a.src === undefined) return a;
    const file = ctx.resolvePath(a.src, 'templates');
    const definition = ctx.renderTemplate((await ctx.readFile(file)).toString('utf8'), file);
    const { src: _src, ...rest } = a;
    return { ...rest, definition };
  },
  async read(probe, a) {
    const r = await probe.exec(sh`kubectl diff ${kubectlArgs(a)} -f -`, { stdin: a.definition ?? '', timeoutMs: 120_000 });
    if (r.exitCode > 1) throw new TaskFailure(`kubectl diff failed (exit ${r.exitCode}): ${r.stderr.trim().slice(0, 2000)}`, 'check the manifest and that the API answers (kubectl --kubeconfig KUBECONFIG get nodes)');
    return { diffs: r.exitCode === 1 ? parseKubectlDiff(r.stdout) : [] };
  },
  plan: planApply,
});
