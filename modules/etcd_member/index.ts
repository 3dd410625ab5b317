/**
 * `etcd_member`: one membership step, quorum-guarded: add a member as a learner, promote it to
 * a voter, or remove one. Runs etcdctl on the task's host (any host with the etcdctl client
 * certificate, e.g. the new member itself) against the wanted members' client URLs. read is
 * ONE round trip (the cluster view); plan is the pure plan-etcd-member.ts.
 */
import { defineModule } from '../../src/module-api/index.js';
import { readClusterView } from '../etcd_cluster/cluster-view.js';
import { resolveRef } from '../etcd_cluster/etcd-args.js';
import { etcdMemberArgsSchema, type EtcdMemberArgs } from './args.js';
import { planEtcdMember, type EtcdMemberCurrent } from './plan-etcd-member.js';

export default defineModule<EtcdMemberArgs, EtcdMemberCurrent>({
  name: 'etcd_member',
  summary: 'Add an etcd member as a learner, promote it to a voter, or remove a member: one step at a time, refused when it would leave the cluster without quorum.',
  args: etcdMemberArgsSchema,
  examples: [
    `- name: replace h3 by h4, step 1
  etcd_member: {members: "{{ etcd_members }}", name: h4, state: learner, replaces: h3}`,
    `- name: step 3 (after etcd_cluster started h4)
  etcd_member: {members: "{{ etcd_members }}", name: h4, state: voter}`,
    `- name: step 4
  etcd_member: {members: "{{ etcd_members }}", name: h3, state: absent}`,
  ],

  async read(probe, args) {
    const ref = resolveRef(args);
    return { host: probe.host, view: await readClusterView(probe, ref.tls, ref.endpoints) };
  },

  plan: planEtcdMember,
});
