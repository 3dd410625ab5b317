/**
 * `etcd_cluster`: one etcd member (Debian's etcd-server unit) configured from the inventory,
 * with TLS for clients and peers (client-cert-auth on), enabled and running. read is ONE round
 * trip (read-etcd-host.ts: config, data dir, unit, and the cluster as this host sees it); plan is
 * the pure plan-etcd-cluster.ts. This folder also holds what the other etcd modules share:
 * member list parsing, etcdctl argv, the cluster view, quorum arithmetic, member diffs.
 */
import { defineModule } from '../../src/module-api/index.js';
import { etcdClusterArgsSchema } from './args.js';
import { DEFAULT_DATA_DIR, resolveRef, type EtcdMemberSettings } from './etcd-args.js';
import { planEtcdCluster } from './plan-etcd-cluster.js';
import { readEtcdHost, type EtcdHostState } from './read-etcd-host.js';

export default defineModule<EtcdMemberSettings, EtcdHostState>({
  name: 'etcd_cluster',
  summary: 'Configure an etcd member with TLS (/etc/default/etcd), enable and start it (a new cluster\'s members without waiting), restart it after a change only when quorum allows.',
  args: etcdClusterArgsSchema,
  examples: [
    `- name: etcd member
  etcd_cluster:
    members: "{{ etcd_members }}"   # h1=https://10.0.0.1:2380,h2=...,h3=...`,
  ],

  async read(probe, args) {
    const ref = resolveRef(args);
    return readEtcdHost(probe, args.data_dir ?? DEFAULT_DATA_DIR, ref.tls, ref.endpoints);
  },

  plan: planEtcdCluster,
});
