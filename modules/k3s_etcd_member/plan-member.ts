/**
 * The pure decision of `k3s_etcd_member`: (args, EtcdState) -> Changes. No I/O.
 * - remove: one Change per member found (etcd's member remove through the local client URL),
 *   refused when the healthy voters left would be fewer than a quorum of the voters left.
 * - expected: the voting members after the removals must be exactly the expected servers, each
 *   healthy and none a learner; otherwise a TaskFailure with the exact difference.
 */
import { sh, TaskFailure, type Change } from '../../src/module-api/index.js';
import type { EtcdMember, EtcdState } from '../k3s_install/read-install.js';
import { ETCD_CLIENT_CURL } from './read-member.js';
import { listArg, type K3sEtcdMemberArgs } from './args.js';

/** "10.0.0.3" -> "https://10.0.0.3:2380"; URLs are kept. */
export function peerUrl(x: string): string {
  return /^https?:\/\//.test(x) ? x : `https://${x}:2380`;
}

function matches(m: EtcdMember, target: string): boolean {
  if (/^https?:\/\//.test(target)) return m.peerURLs.includes(target);
  if (/^\d+\.\d+\.\d+\.\d+$/.test(target) || target.includes(':')) return m.peerURLs.includes(peerUrl(target));
  return m.name.startsWith(`${target}-`) || m.name === target;
}

function label(m: EtcdMember): string {
  return `${m.name || '(unstarted)'} (${m.peerURLs.join(', ')})`;
}

export function planMember(args: K3sEtcdMemberArgs, cur: EtcdState | null): Change[] {
  if (cur === null) throw new TaskFailure('this host has no k3s embedded etcd (no /var/lib/rancher/k3s/server/db/etcd)', 'run this task on a k3s server of an embedded-etcd cluster');
  if (cur.members === null) throw new TaskFailure(`the k3s embedded etcd on this host does not answer: ${cur.error ?? 'no answer'}`, 'is k3s running here (systemctl status k3s)? Run the task on a healthy server');
  const healthy = (m: EtcdMember) => m.clientURLs.some((u) => cur.health.get(u) === true);
  let members = [...cur.members];
  const changes: Change[] = [];
  for (const target of listArg(args.remove) ?? []) {
    for (const m of members.filter((x) => matches(x, target))) {
      const rest = members.filter((x) => x !== m);
      const voters = rest.filter((x) => !x.isLearner);
      const quorum = Math.floor(voters.length / 2) + 1;
      const up = voters.filter(healthy).length;
      if (up < quorum && !args.force) {
        throw new TaskFailure(
          `removing etcd member ${label(m)} would leave ${up} healthy of ${voters.length} voting members; quorum needs ${quorum}`,
          'bring the unhealthy members back first; force: true overrides this guard',
        );
      }
      changes.push({
        summary: `remove etcd member ${label(m)}`,
        steps: [{ kind: 'exec', cmd: sh`${ETCD_CLIENT_CURL} -fsS -X POST -d ${JSON.stringify({ ID: m.id })} https://127.0.0.1:2379/v3/cluster/member/remove` }],
      });
      members = rest;
    }
  }
  const expected = listArg(args.expected);
  if (expected !== undefined) {
    const want = expected.map(peerUrl);
    const problems: string[] = [];
    for (const w of want) {
      const m = members.find((x) => x.peerURLs.includes(w));
      if (!m) problems.push(`missing: ${w}`);
      else if (m.isLearner) problems.push(`still a learner (not voting): ${label(m)}`);
      else if (!healthy(m)) problems.push(`unhealthy: ${label(m)}`);
    }
    for (const m of members) if (!m.peerURLs.some((u) => want.includes(u))) problems.push(`unexpected (stale?) member: ${label(m)}`);
    if (problems.length > 0) {
      throw new TaskFailure(
        `etcd members differ from the servers: ${problems.join('; ')}`,
        'a stale member of a removed server is removed with runbooks/replace-server.yml; a missing server joins with the site playbook',
      );
    }
  }
  return changes;
}
