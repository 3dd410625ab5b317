/**
 * The pure decision of `etcd_member`: (args, cluster view) -> at most one membership change,
 * as an etcdctl step run against the wanted members' client URLs. No I/O. Replacement is
 * learner -> start (etcd_cluster) -> voter -> remove the old one, one member at a time; each
 * step is checked with quorum.ts and refused (TaskFailure, nothing changed) unless `force`.
 * Every change carries the member list before/after as its diff.
 */
import { TaskFailure, type Change, type ExecStep } from '../../src/module-api/index.js';
import type { ClusterMember, ClusterView } from '../etcd_cluster/cluster-view.js';
import { requireCluster } from '../etcd_cluster/cluster-view.js';
import { resolveRef, type ResolvedRef } from '../etcd_cluster/etcd-args.js';
import { etcdctl } from '../etcd_cluster/etcdctl.js';
import { findMember, MEMBER_LIST_PATH, memberListText } from '../etcd_cluster/member-diff.js';
import { quorumRefusal, type QuorumOp } from '../etcd_cluster/quorum.js';
import type { EtcdMemberArgs } from './args.js';

export interface EtcdMemberCurrent {
  readonly host: string;
  readonly view: ClusterView;
}

export function planEtcdMember(args: EtcdMemberArgs, cur: EtcdMemberCurrent): Change[] {
  const ref = resolveRef(args);
  const view = requireCluster(cur.view, cur.host);
  const state = args.state ?? 'voter';
  const peerUrl = args.peer_url ?? ref.members.find((m) => m.name === args.name)?.peerUrl;
  const found = peerUrl ? findMember(view.members, { name: args.name, peerUrl, host: '' }) : view.members.find((m) => m.name === args.name);
  switch (state) {
    case 'learner':
      return found ? [] : addLearner(args, ref, view, peerUrl);
    case 'voter':
      if (!found) throw new TaskFailure(`${args.name} is not a member of the cluster`, `add it first as a learner (etcd_member state: learner), then start it (etcd_cluster)`);
      return found.isLearner ? [promote(args, ref, view.members, found)] : [];
    case 'absent':
      return found ? [remove(args, ref, view.members, found)] : [];
  }
}

function addLearner(args: EtcdMemberArgs, ref: ResolvedRef, view: Extract<ClusterView, { kind: 'cluster' }>, peerUrl: string | undefined): Change[] {
  if (!peerUrl) throw new TaskFailure(`${args.name}: no peer_url given and ${args.name} is not in members`, 'list the new member in the etcd group (members) or give peer_url');
  // etcd (strict reconfiguration check) adds a member only while the leader is connected to
  // every voting member: a replaced member that is down must be removed first.
  const old = args.replaces !== undefined ? view.members.find((m) => m.name === args.replaces) : undefined;
  const removeFirst = old !== undefined && old.health !== 'healthy';
  const members = removeFirst ? view.members.filter((m) => m !== old) : view.members;
  const taken = members.find((m) => m.peerUrls.includes(peerUrl));
  if (taken) throw new TaskFailure(`peer URL ${peerUrl} already belongs to member ${taken.name || taken.id}`, 'remove that member first, or give this one another address');
  const pending = members.find((m) => m.isLearner || m.name === '');
  if (pending) throw new TaskFailure(`${pending.name || pending.peerUrls.join(' ')} is still being added (${pending.isLearner ? 'a learner' : 'not started'})`, 'one member at a time: finish that one first (start it, then state: voter)');
  const learners = supportsLearners(view.version);
  const what = args.replaces !== undefined ? `replacing ${args.replaces} by ${args.name}` : `adding ${args.name}`;
  const forced =
    (removeFirst ? guard(args, view.members, [{ kind: 'remove', member: old.name }], what) : '') +
    guard(args, members, [learners ? { kind: 'add-learner' } : { kind: 'add-voter' }, ...(old && !removeFirst ? [{ kind: 'stop' as const, member: old.name }] : [])], what);
  const after = [...members, { name: args.name, peerUrls: [peerUrl], isLearner: learners }];
  const add = `add ${args.name} (${peerUrl}) as a ${learners ? 'learner (non-voting until promoted)' : 'voting member (etcd < 3.4 has no learners)'}`;
  return [
    {
      summary: `${forced}${removeFirst ? `remove the ${old.health} member ${old.name} (id ${old.id}) first, then ${add}, replacing it` : `${add}${args.replaces ? `, replacing ${args.replaces}` : ''}`}`,
      steps: [
        ...(removeFirst ? [step(ref, ['member', 'remove', old.id], 10, 1000)] : []),
        step(ref, ['member', 'add', args.name, `--peer-urls=${peerUrl}`, ...(learners ? ['--learner'] : [])], 15, 1000),
      ],
      diff: listDiff(view.members, after),
    },
  ];
}

function promote(args: EtcdMemberArgs, ref: ResolvedRef, members: readonly ClusterMember[], m: ClusterMember): Change {
  const forced = guard(args, members, [{ kind: 'promote', member: args.name }], `promoting ${args.name}`);
  // etcd refuses to promote a learner that has not caught up with the leader yet: retry for a while.
  return {
    summary: `${forced}promote learner ${args.name} (id ${m.id}) to a voting member, once it has caught up`,
    steps: [step(ref, ['member', 'promote', m.id], 60, 2000)],
    diff: listDiff(members, members.map((x) => (x === m ? { ...x, name: args.name, isLearner: false } : x))),
  };
}

function remove(args: EtcdMemberArgs, ref: ResolvedRef, members: readonly ClusterMember[], m: ClusterMember): Change {
  const forced = guard(args, members, [{ kind: 'remove', member: m.name || args.name }], `removing ${args.name}`);
  return {
    summary: `${forced}remove member ${args.name} (id ${m.id}, ${m.peerUrls.join(' ')}${m.health === 'healthy' ? '' : `, ${m.health}`})`,
    steps: [step(ref, ['member', 'remove', m.id], 10, 1000)],
    diff: listDiff(members, members.filter((x) => x !== m)),
  };
}

/** '' when every check passes; "FORCED (...) " with force; else a TaskFailure. */
function guard(args: EtcdMemberArgs, members: readonly ClusterMember[], ops: readonly QuorumOp[], what: string): string {
  const refusals = ops.map((op) => quorumRefusal(members, op)).filter((r): r is string => r !== null);
  if (refusals.length === 0) return '';
  if (args.force ?? false) return `FORCED (${refusals.join(' ')}) `;
  throw new TaskFailure(`refusing ${what}: ${refusals.join(' ')}`, 'nothing was changed; bring the members that are down back first, or set force: true if you accept losing quorum');
}

function step(ref: ResolvedRef, args: string[], attempts: number, delayMs: number): ExecStep {
  // etcd refuses reconfiguration for a few seconds after a member (re)connects ("unhealthy cluster"): retry.
  return { kind: 'exec', cmd: etcdctl(ref.tls, ref.endpoints, args), retry: { attempts, delayMs }, timeoutMs: 30_000 };
}

function listDiff(before: readonly { name: string; peerUrls: readonly string[]; isLearner?: boolean }[], after: readonly { name: string; peerUrls: readonly string[]; isLearner?: boolean }[]) {
  return { path: MEMBER_LIST_PATH, before: memberListText(before), after: memberListText(after) };
}

/** Learners exist from etcd 3.4 on; an unknown version is assumed to have them (Debian 12 ships 3.4). */
export function supportsLearners(version: string | null): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  return m === null || Number(m[1]) > 3 || (Number(m[1]) === 3 && Number(m[2]) >= 4);
}
