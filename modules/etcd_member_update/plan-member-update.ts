/**
 * The pure decision of `etcd_member_update`: (args, EtcdHostState) -> Changes. No I/O.
 *
 * 1. Find the member by name in the cluster (asked through the wanted members' client URLs, so
 *    the others answer even when this member is cut off). Its peer URL already right: no
 *    member update. Otherwise `etcdctl member update ID --peer-urls=NEW`, which needs a
 *    cluster with quorum; the change carries the member list before/after as its diff.
 * 2. Its /etc/default/etcd for the new address (member-config.ts), then a restart, only if
 *    stopping this member keeps quorum (after an IP change it is down already), and a wait
 *    until the whole cluster is healthy again.
 */
import { TaskFailure, type Change } from '../../src/module-api/index.js';
import { requireCluster } from '../etcd_cluster/cluster-view.js';
import { resolveRef, type EtcdMemberSettings } from '../etcd_cluster/etcd-args.js';
import { etcdctl } from '../etcd_cluster/etcdctl.js';
import { wantedConfig } from '../etcd_cluster/member-config.js';
import { MEMBER_LIST_PATH, memberListText } from '../etcd_cluster/member-diff.js';
import { planMemberConfig } from '../etcd_cluster/plan-etcd-cluster.js';
import { quorumRefusal } from '../etcd_cluster/quorum.js';
import type { EtcdHostState } from '../etcd_cluster/read-etcd-host.js';

export function planMemberUpdate(args: EtcdMemberSettings, cur: EtcdHostState): Change[] {
  const ref = resolveRef(args);
  const view = requireCluster(cur.view, cur.host);
  if (!cur.initialized) {
    throw new TaskFailure(`${args.name ?? cur.host} has no etcd data: there is no member to update`, 'a new member joins with playbooks/runbooks/replace-etcd-member.yml');
  }
  const want = wantedConfig(args, ref, cur);
  const own = view.members.find((m) => m.name === want.self.name);
  if (!own) throw new TaskFailure(`no member named ${want.self.name} in the cluster (members: ${view.members.map((m) => m.name || m.id).join(', ')})`, 'was it removed? replace it with replace-etcd-member.yml');
  const changes: Change[] = [];
  const moved = own.peerUrls.length !== 1 || own.peerUrls[0] !== want.self.peerUrl;
  if (moved) {
    const refusal = quorumRefusal(view.members, { kind: 'update', member: own.name });
    if (refusal !== null) throw new TaskFailure(`refusing to update member ${own.name}: ${refusal}`, 'a member update must be committed by a quorum: bring the other members back first (nothing was changed)');
    const after = view.members.map((m) => (m === own ? { ...m, peerUrls: [want.self.peerUrl] } : m));
    const others = ref.endpoints.filter((e) => !e.includes(`//${want.self.host}:`));
    changes.push({
      summary: `member ${own.name} (id ${own.id}): peer URL ${own.peerUrls.join(' ')} -> ${want.self.peerUrl}`,
      steps: [{ kind: 'exec', cmd: etcdctl(ref.tls, others, ['member', 'update', own.id, `--peer-urls=${want.self.peerUrl}`]), retry: { attempts: 10, delayMs: 1000 }, timeoutMs: 30_000 }],
      diff: { path: MEMBER_LIST_PATH, before: memberListText(view.members), after: memberListText(after) },
    });
  }
  const config = planMemberConfig(args, ref, want, cur, 'etcd_member_update', moved);
  changes.push(...config);
  const startsEtcd = config.some((c) => c.steps.some((st) => st.kind === 'exec' && Array.isArray(st.cmd) && st.cmd[0] === 'systemctl' && /^(re)?start$/.test(String(st.cmd.at(-2)))));
  if (startsEtcd) {
    changes.push({
      summary: 'wait until every member is healthy',
      steps: [{ kind: 'exec', cmd: etcdctl(ref.tls, ref.endpoints, ['endpoint', 'health', '--cluster']), retry: { attempts: 60, delayMs: 1000 }, timeoutMs: 30_000 }],
    });
  }
  return changes;
}
