/**
 * `k3s_etcd_member`: the embedded etcd of a k3s cluster, seen from one server: check that its
 * voting members are exactly the expected servers (the invariant after every run), and remove
 * members (replacing a server, changing its IP) without ever leaving the cluster below quorum.
 * read is ONE round trip (read-member.ts); plan is the pure plan-member.ts.
 */
import { defineModule } from '../../src/module-api/index.js';
import type { EtcdState } from '../k3s_install/read-install.js';
import { k3sEtcdMemberArgsSchema, type K3sEtcdMemberArgs } from './args.js';
import { planMember } from './plan-member.js';
import { readMembers } from './read-member.js';

export default defineModule<K3sEtcdMemberArgs, EtcdState | null>({
  name: 'k3s_etcd_member',
  summary: "Check a k3s cluster's embedded etcd members against the servers, or remove members quorum-safely (run on one healthy server).",
  args: k3sEtcdMemberArgsSchema,
  examples: [
    `- name: every server is a voting, healthy etcd member, and nothing else is
  k3s_etcd_member:
    expected: '{{#each (group "servers")}}{{hostvars this "ansible_host"}} {{/each}}'
  run_once: true`,
    `- name: remove the member of the server being replaced
  k3s_etcd_member:
    remove: [h3]
  delegate_to: h1
  run_once: true`,
  ],
  read: (probe) => readMembers(probe),
  plan: planMember,
});
