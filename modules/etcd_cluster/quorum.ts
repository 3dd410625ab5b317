/**
 * Quorum arithmetic, pure: a cluster of N voting members needs floor(N/2)+1 healthy to work, so
 * N=3 tolerates 1 member down and N=5 tolerates 2. Each membership or restart operation is
 * checked by what the cluster looks like right after it; a refusal says how many are healthy,
 * how many are needed, who is already down and what to do. Learners never count.
 */
import type { ClusterMember } from './cluster-view.js';

export function quorumOf(voters: number): number {
  return Math.floor(voters / 2) + 1;
}

export function toleranceOf(voters: number): number {
  return Math.max(voters - quorumOf(voters), 0);
}

export type QuorumOp =
  /** The member's etcd stops for a while (restart after a config change, IP change). */
  | { readonly kind: 'stop'; readonly member: string }
  | { readonly kind: 'remove'; readonly member: string }
  /** A new voting member that is not running yet. */
  | { readonly kind: 'add-voter' }
  | { readonly kind: 'add-learner' }
  | { readonly kind: 'promote'; readonly member: string }
  /** `member update` only (the cluster must be able to commit it). */
  | { readonly kind: 'update'; readonly member: string };

export interface VoterState {
  readonly voters: number;
  readonly healthy: number;
}

function voters(members: readonly ClusterMember[]): ClusterMember[] {
  return members.filter((m) => !m.isLearner);
}

export function voterState(members: readonly ClusterMember[]): VoterState {
  const v = voters(members);
  return { voters: v.length, healthy: v.filter((m) => m.health === 'healthy').length };
}

function label(m: ClusterMember): string {
  return m.name || `(unstarted ${m.peerUrls[0] ?? m.id})`;
}

/** Why `op` would leave the cluster without quorum (or finds it without one), or null when it is safe. */
export function quorumRefusal(members: readonly ClusterMember[], op: QuorumOp): string | null {
  const before = voterState(members);
  const down = voters(members).filter((m) => m.health !== 'healthy');
  const downText = down.length > 0 ? ` Already down: ${down.map(label).join(', ')}.` : '';
  if (before.healthy < quorumOf(before.voters)) {
    return `the cluster has no quorum: ${before.healthy} of ${before.voters} voting members are healthy, ${quorumOf(before.voters)} are needed.${downText}`;
  }
  const target = 'member' in op ? members.find((m) => m.name === op.member) : undefined;
  const targetHealthy = target !== undefined && !target.isLearner && target.health === 'healthy' ? 1 : 0;
  let after: VoterState;
  let what: string;
  switch (op.kind) {
    case 'add-learner':
    case 'update':
      return null;
    case 'stop':
      after = { voters: before.voters, healthy: before.healthy - targetHealthy };
      what = `stopping etcd on ${op.member}`;
      break;
    case 'remove':
      if (before.voters <= 1 && target && !target.isLearner) return `${op.member} is the last voting member: removing it would destroy the cluster.`;
      after = { voters: before.voters - (target && !target.isLearner ? 1 : 0), healthy: before.healthy - targetHealthy };
      what = `removing ${op.member}`;
      break;
    case 'add-voter':
      after = { voters: before.voters + 1, healthy: before.healthy };
      what = 'adding a voting member that is not running yet';
      break;
    case 'promote':
      after = { voters: before.voters + 1, healthy: before.healthy + (target?.health === 'healthy' ? 1 : 0) };
      what = `promoting ${op.member}`;
      break;
  }
  if (after.healthy >= quorumOf(after.voters)) return null;
  return (
    `${what} would leave ${after.healthy} of ${after.voters} voting members healthy; quorum needs ${quorumOf(after.voters)}` +
    ` (a ${before.voters}-member cluster tolerates ${toleranceOf(before.voters)} down).${downText}`
  );
}
