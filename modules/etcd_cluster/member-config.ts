/**
 * The /etc/default/etcd a member should have, pure, shared by etcd_cluster and
 * etcd_member_update. The ETCD_INITIAL_* part records how the member started, so it follows the
 * member's situation:
 * - initialized (data directory in use), or started and still joining: etcd no longer reads it;
 *   what the file says is kept as it is (no churn, and a join in progress is not disturbed);
 * - stopped with no data, and the cluster answers: the member joins it ("existing"), with the
 *   initial cluster etcd requires for a join: the cluster's members as they are now, this one
 *   included (it must have been added first: etcd_member state: learner);
 * - stopped with no data, and no member answers: a new cluster of the inventory's members.
 */
import { TaskFailure } from '../../src/module-api/index.js';
import type { ClusterView } from './cluster-view.js';
import { DEFAULT_DATA_DIR, type EtcdMemberSettings, type ResolvedRef } from './etcd-args.js';
import { parseEnvFile, type EtcdConfig } from './etcd-config.js';
import { findMember } from './member-diff.js';
import { clientUrlOf, initialClusterOf, memberNamed, type MemberSpec } from './member-spec.js';
import type { EtcdHostState } from './read-etcd-host.js';

export interface WantedConfig {
  readonly self: MemberSpec;
  readonly config: EtcdConfig;
  /** How this member starts: joining a running cluster, bootstrapping a new one, or already initialized. */
  readonly mode: 'initialized' | 'starting' | 'join' | 'bootstrap';
}

export function wantedConfig(args: EtcdMemberSettings, ref: ResolvedRef, cur: EtcdHostState): WantedConfig {
  const name = args.name ?? cur.host;
  const self = memberNamed(ref.members, name);
  const base = {
    name,
    dataDir: args.data_dir ?? DEFAULT_DATA_DIR,
    peerUrl: self.peerUrl,
    clientUrl: clientUrlOf(self, ref.clientPort),
    clientPort: ref.clientPort,
    token: args.cluster_token ?? 'k3play-etcd',
    pkiDest: ref.pkiDest,
    extraEnv: args.extra_env ?? {},
  };
  const running = ['active', 'activating', 'reloading'].includes(cur.active);
  if (cur.initialized || running) {
    const file = cur.config === null ? new Map<string, string>() : parseEnvFile(cur.config);
    const kept = file.get('ETCD_INITIAL_CLUSTER_STATE');
    return {
      self,
      mode: cur.initialized ? 'initialized' : 'starting',
      config: {
        ...base,
        initialCluster: file.get('ETCD_INITIAL_CLUSTER') ?? initialClusterOf(ref.members),
        initialState: kept === 'new' || kept === 'existing' ? kept : 'existing',
        token: file.get('ETCD_INITIAL_CLUSTER_TOKEN') ?? base.token,
      },
    };
  }
  if (cur.view.kind !== 'cluster') return { self, mode: 'bootstrap', config: { ...base, initialCluster: initialClusterOf(ref.members), initialState: 'new' } };
  return { self, mode: 'join', config: { ...base, initialCluster: joinCluster(cur.view, self), initialState: 'existing' } };
}

/** initial-cluster for joining: every current member by name; this one (not started, no name yet) by its peer URL. */
function joinCluster(view: Extract<ClusterView, { kind: 'cluster' }>, self: MemberSpec): string {
  const own = findMember(view.members, self);
  const names = view.members.filter((m) => m.name !== '').map((m) => m.name).join(', ');
  if (!own) {
    throw new TaskFailure(
      `${self.name} has no etcd data yet and is not a member of the running cluster (members: ${names || 'none named'})`,
      `add it first, one member at a time: etcd_member {name: ${self.name}, state: learner} — playbooks/runbooks/replace-etcd-member.yml does this`,
    );
  }
  if (!own.peerUrls.includes(self.peerUrl)) {
    throw new TaskFailure(`${self.name} is registered with peer URL ${own.peerUrls.join(' ')}, the inventory says ${self.peerUrl}`, 'remove the member and add it again with the right URL (etcd_member state: absent, then state: learner)');
  }
  const entries: { name: string; peerUrl: string }[] = [];
  for (const m of view.members) {
    const n = m === own ? self.name : m.name;
    if (n === '') throw new TaskFailure(`another new member (${m.peerUrls.join(' ')}) is being added and has not started yet`, 'one member at a time: finish that one first');
    for (const u of m === own ? [self.peerUrl] : m.peerUrls) entries.push({ name: n, peerUrl: u });
  }
  return initialClusterOf(entries);
}
