/**
 * Member list versus inventory, pure: which wanted members are missing from the cluster, which
 * cluster members are extra (stale members left behind), whose peer URLs differ, and the
 * invariant every etcd operation must end in (same names and peer URLs, all healthy, no
 * learner left, exactly one leader), reported as the exact differences. Also the member list as
 * text lines, so a change can show a unified diff of the member list.
 */
import type { ClusterMember, ClusterView } from './cluster-view.js';
import type { MemberSpec } from './member-spec.js';

export interface MemberDiff {
  readonly missing: readonly MemberSpec[];
  readonly extra: readonly ClusterMember[];
  readonly moved: readonly { readonly name: string; readonly have: readonly string[]; readonly want: string }[];
}

/** The cluster member a wanted member is: by name, or (not started yet, no name) by peer URL. */
export function findMember(members: readonly ClusterMember[], want: MemberSpec): ClusterMember | undefined {
  return members.find((m) => m.name === want.name) ?? members.find((m) => m.name === '' && m.peerUrls.includes(want.peerUrl));
}

export function diffMembers(members: readonly ClusterMember[], wanted: readonly MemberSpec[]): MemberDiff {
  const matched = new Set<ClusterMember>();
  const missing: MemberSpec[] = [];
  const moved: { name: string; have: string[]; want: string }[] = [];
  for (const w of wanted) {
    const m = findMember(members, w);
    if (!m) {
      missing.push(w);
      continue;
    }
    matched.add(m);
    if (m.peerUrls.length !== 1 || m.peerUrls[0] !== w.peerUrl) moved.push({ name: w.name, have: [...m.peerUrls], want: w.peerUrl });
  }
  return { missing, extra: members.filter((m) => !matched.has(m)), moved };
}

/** Every way the cluster differs from the invariant, one line each; [] when it holds. */
export function invariantProblems(view: ClusterView, wanted: readonly MemberSpec[]): string[] {
  if (view.kind === 'no-client') return ['etcdctl or the etcdctl client certificate is missing on this host (run etcd_pki first)'];
  if (view.kind === 'unreachable') return [`no member answered: ${view.error}`];
  const d = diffMembers(view.members, wanted);
  const out: string[] = [];
  for (const m of d.missing) out.push(`missing member ${m.name} (${m.peerUrl}): in the inventory's etcd group, not in the cluster`);
  for (const m of d.extra) {
    out.push(`extra member ${m.name || '(unnamed)'} (id ${m.id}, ${m.peerUrls.join(' ')}): in the cluster, not in the inventory (a stale member: remove it with etcd_member state: absent, see replace-etcd-member.yml)`);
  }
  for (const m of d.moved) out.push(`${m.name}: peer URL ${m.have.join(' ') || '(none)'} in the cluster, ${m.want} in the inventory (see change-node-ip.yml)`);
  for (const m of view.members) {
    const who = m.name || `(unnamed ${m.peerUrls.join(' ')})`;
    if (m.isLearner) out.push(`${who} is still a learner (not a voting member): promote it (etcd_member state: voter)`);
    else if (m.health !== 'healthy') out.push(`${who} is ${m.health}${m.error ? `: ${m.error}` : ''}`);
  }
  if (view.leaders.length === 0) out.push('no member reports a leader');
  else if (view.leaders.length > 1) out.push(`members report ${view.leaders.length} different leaders: ${view.leaders.join(', ')}`);
  else if (!view.members.some((m) => m.id === view.leaders[0])) out.push(`the reported leader ${view.leaders[0]} is not a member`);
  return out;
}

/** "name peerURL [learner]" lines sorted by name: the member list as diffable text. */
export function memberListText(members: readonly { name: string; peerUrls: readonly string[]; isLearner?: boolean }[]): string {
  return [...members]
    .map((m) => `${m.name || '(unnamed)'} ${m.peerUrls.join(',')}${m.isLearner ? ' (learner)' : ''}\n`)
    .sort()
    .join('');
}

export const MEMBER_LIST_PATH = 'etcd member list';
