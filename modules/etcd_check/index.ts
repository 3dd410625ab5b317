/**
 * `etcd_check`: the invariant every etcd operation must end in, as a task: the member list
 * equals the inventory's etcd group (names and peer URLs), every member is healthy, none is
 * left a learner, and exactly one leader is reported. Changes nothing. read is ONE round trip
 * that first waits (up to `timeout` seconds, polling `endpoint health --cluster`) for the
 * cluster to settle, then takes the cluster view; plan fails with the exact differences
 * (member-diff.ts) or returns [].
 */
import type { SchemaObject } from 'ajv';
import { defineModule, sh, TaskFailure } from '../../src/module-api/index.js';
import { readClusterView, type ClusterView } from '../etcd_cluster/cluster-view.js';
import { clusterRefProperties, resolveRef, type EtcdClusterRef } from '../etcd_cluster/etcd-args.js';
import { etcdctl } from '../etcd_cluster/etcdctl.js';
import { invariantProblems } from '../etcd_cluster/member-diff.js';

export interface EtcdCheckArgs extends EtcdClusterRef {
  timeout?: number;
}

const schema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['members'],
  properties: {
    ...clusterRefProperties,
    timeout: { type: 'integer', minimum: 0, maximum: 3600, default: 60, description: 'Seconds to wait for every member to become healthy before judging (0: judge at once).' },
  },
};

export default defineModule<EtcdCheckArgs, ClusterView>({
  name: 'etcd_check',
  summary: 'Fail unless the etcd cluster matches the inventory: same members and peer URLs, all healthy, no learner left, one leader (waits up to timeout for it to settle). Changes nothing.',
  args: schema,
  examples: [
    `- name: etcd matches the inventory
  etcd_check:
    members: "{{ etcd_members }}"
  run_once: true`,
  ],

  async read(probe, args) {
    const ref = resolveRef(args);
    const health = etcdctl(ref.tls, ref.endpoints, ['endpoint', 'health', '--cluster']);
    const list = etcdctl(ref.tls, ref.endpoints, ['member', 'list']);
    // Only a host that can ask waits (a host without etcdctl or its certificate is judged at once).
    const wait = sh`if command -v etcdctl >/dev/null 2>&1 && [ -r ${ref.tls.key} ]; then
  end=$(( $(date +%s) + ${args.timeout ?? 60} ))
  # Settled: every member healthy and none still unstarted (a member without a client URL is not health-checked).
  while { ! ${health} >/dev/null 2>&1 || ${list} 2>/dev/null | grep -q ', unstarted,'; } && [ "$(date +%s)" -lt "$end" ]; do sleep 1; done
fi
`;
    return readClusterView(probe, ref.tls, ref.endpoints, wait);
  },

  plan(args, view) {
    const problems = invariantProblems(view, resolveRef(args).members);
    if (problems.length === 0) return [];
    throw new TaskFailure(`the etcd cluster does not match the inventory:\n${problems.map((p) => `  - ${p}`).join('\n')}`, 'see docs/etcd.md for the runbook that fixes each difference');
  },
});
