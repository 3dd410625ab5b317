/**
 * `etcd_member_update`: a member's new address, in place (the IP-change runbook). Runs on the
 * member itself: read is ONE round trip (read-etcd-host.ts: its config, data and unit, and the
 * cluster as seen through the other members); plan (plan-member-update.ts, pure) updates the
 * member's peer URL in the cluster, rewrites its config and restarts it, each only when needed
 * and only when quorum allows.
 */
import { defineModule } from '../../src/module-api/index.js';
import { etcdClusterArgsSchema } from '../etcd_cluster/args.js';
import { DEFAULT_DATA_DIR, resolveRef, type EtcdMemberSettings } from '../etcd_cluster/etcd-args.js';
import { readEtcdHost, type EtcdHostState } from '../etcd_cluster/read-etcd-host.js';
import { planMemberUpdate } from './plan-member-update.js';

export default defineModule<EtcdMemberSettings, EtcdHostState>({
  name: 'etcd_member_update',
  summary: 'Change an etcd member\'s peer URL in place after its address changed (member update, config, restart), quorum-safely; check mode shows the member-list diff.',
  args: etcdClusterArgsSchema,
  examples: [
    `- name: this member's new address (the inventory already has it)
  etcd_member_update:
    members: "{{ etcd_members }}"`,
  ],

  async read(probe, args) {
    const ref = resolveRef(args);
    return readEtcdHost(probe, args.data_dir ?? DEFAULT_DATA_DIR, ref.tls, ref.endpoints);
  },

  plan: planMemberUpdate,
});
