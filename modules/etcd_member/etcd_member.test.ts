import { describe, expect, it } from 'vitest';
import { TaskFailure } from '../../src/module-api/index.js';
import type { ClusterMember, ClusterView } from '../etcd_cluster/cluster-view.js';
import etcdMember from './index.js';
import { supportsLearners, type EtcdMemberCurrent } from './plan-etcd-member.js';

const MEMBERS = 'h1=https://10.231.0.11:2380,h2=https://10.231.0.12:2380,h4=https://10.231.0.14:2380';
function member(name: string, over: Partial<ClusterMember> = {}): ClusterMember {
  const n = Number(name.slice(1));
  return { id: `a${n}`, name, peerUrls: [`https://10.231.0.1${n}:2380`], clientUrls: [`https://10.231.0.1${n}:2379`], isLearner: false, health: 'healthy', ...over };
}
const cur = (members: ClusterMember[], version = '3.4.23'): EtcdMemberCurrent => ({ host: 'h1', view: { kind: 'cluster', clusterId: 'c', members, leaders: ['a1'], version } satisfies ClusterView });
const etcdctlArgs = (c: ReturnType<typeof etcdMember.plan>) => c.flatMap((x) => x.steps).map((s) => (s.kind === 'exec' && Array.isArray(s.cmd) ? s.cmd.slice(7).join(' ') : s.kind));
const healthy3 = [member('h1'), member('h2'), member('h3')];

describe('etcd_member plan', () => {
  it('learner: adds the new member as a learner through every wanted endpoint, with the member-list diff', () => {
    const c = etcdMember.plan({ members: MEMBERS, name: 'h4', state: 'learner', replaces: 'h3' }, cur(healthy3));
    expect(c.map((x) => x.summary)).toEqual(['add h4 (https://10.231.0.14:2380) as a learner (non-voting until promoted), replacing h3']);
    expect(etcdctlArgs(c)).toEqual(['member add h4 --peer-urls=https://10.231.0.14:2380 --learner']);
    expect((c[0]!.steps[0] as { cmd: string[] }).cmd[4]).toBe('--endpoints=https://10.231.0.11:2379,https://10.231.0.12:2379,https://10.231.0.14:2379');
    expect(c[0]!.diff).toEqual({ path: 'etcd member list', before: 'h1 https://10.231.0.11:2380\nh2 https://10.231.0.12:2380\nh3 https://10.231.0.13:2380\n', after: 'h1 https://10.231.0.11:2380\nh2 https://10.231.0.12:2380\nh3 https://10.231.0.13:2380\nh4 https://10.231.0.14:2380 (learner)\n' });
  });
  it('learner replacing a member that is down: removes it first (etcd adds only while every voter is connected)', () => {
    const c = etcdMember.plan({ members: MEMBERS, name: 'h4', state: 'learner', replaces: 'h3' }, cur([member('h1'), member('h2'), member('h3', { health: 'unhealthy' })]));
    expect(c.map((x) => x.summary)).toEqual(['remove the unhealthy member h3 (id a3) first, then add h4 (https://10.231.0.14:2380) as a learner (non-voting until promoted), replacing it']);
    expect(etcdctlArgs(c)).toEqual(['member remove a3', 'member add h4 --peer-urls=https://10.231.0.14:2380 --learner']);
  });
  it('quorum guard: replacing a healthy member while another is down is refused; force says FORCED', () => {
    const down = [member('h1', { health: 'unhealthy' }), member('h2'), member('h3')];
    const args = { members: 'h1=https://10.231.0.11:2380,h3=https://10.231.0.13:2380,h4=https://10.231.0.14:2380', name: 'h4', state: 'learner' as const, replaces: 'h2' };
    expect(() => etcdMember.plan(args, cur(down))).toThrow(/refusing replacing h2 by h4: stopping etcd on h2 would leave 1 of 3 voting members healthy; quorum needs 2 .*Already down: h1\./);
    expect(etcdMember.plan({ ...args, force: true }, cur(down))[0]!.summary).toMatch(/^FORCED \(stopping etcd on h2/);
  });
  it.each<[string, Parameters<typeof etcdMember.plan>[0], ClusterMember[], string[]]>([
    ['learner: converged (already a learner, not started: matched by peer URL)', { members: MEMBERS, name: 'h4', state: 'learner' }, [...healthy3, member('h4', { name: '', isLearner: true, clientUrls: [], health: 'unknown' })], []],
    ['learner: converged (already a voter)', { members: MEMBERS, name: 'h4', state: 'learner' }, [...healthy3, member('h4')], []],
    ['voter: promotes the learner, retrying until it caught up', { members: MEMBERS, name: 'h4', state: 'voter' }, [...healthy3, member('h4', { isLearner: true })], ['member promote a4']],
    ['voter: converged', { members: MEMBERS, name: 'h4', state: 'voter' }, [...healthy3, member('h4')], []],
    ['absent: removes', { members: MEMBERS, name: 'h3', state: 'absent' }, [...healthy3, member('h4')], ['member remove a3']],
    ['absent: converged', { members: MEMBERS, name: 'h3', state: 'absent' }, [member('h1'), member('h2'), member('h4')], []],
    ['etcd < 3.4 has no learners: adds a voter', { members: MEMBERS, name: 'h4', state: 'learner' }, healthy3, ['member add h4 --peer-urls=https://10.231.0.14:2380']],
  ])('%s', (name, args, members, expected) => {
    const c = etcdMember.plan(args, cur(members, name.includes('< 3.4') ? '3.3.25' : '3.4.23'));
    expect(etcdctlArgs(c)).toEqual(expected);
    if (expected[0]?.startsWith('member promote')) expect(c[0]!.steps[0]).toMatchObject({ retry: { attempts: 60, delayMs: 2000 } });
  });
  it.each<[string, Parameters<typeof etcdMember.plan>[0], ClusterMember[], RegExp]>([
    ['voter for a host that is not a member', { members: MEMBERS, name: 'h4', state: 'voter' }, healthy3, /h4 is not a member[^]*state: learner/],
    ['absent: removing a healthy member while another is down', { members: MEMBERS, name: 'h2', state: 'absent' }, [member('h1', { health: 'unhealthy' }), member('h2'), member('h3')], /refusing removing h2: removing h2 would leave 1 of 2/],
    ['a second member while one is still being added', { members: `${MEMBERS},h5=https://10.231.0.15:2380`, name: 'h5', state: 'learner' }, [...healthy3, member('h4', { isLearner: true })], /h4 is still being added/],
    ['a peer URL already taken', { members: MEMBERS, name: 'h4', state: 'learner', peer_url: 'https://10.231.0.13:2380' }, healthy3, /already belongs to member h3/],
  ])('refused: %s', (_n, args, members, msg) => {
    let err: unknown;
    try {
      etcdMember.plan(args, cur(members));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TaskFailure);
    expect(`${(err as TaskFailure).message}\n${(err as TaskFailure).hint}`).toMatch(msg);
  });
  it('no cluster visible: a clear failure', () => {
    expect(() => etcdMember.plan({ members: MEMBERS, name: 'h4' }, { host: 'h1', view: { kind: 'unreachable', error: 'context deadline exceeded' } })).toThrow(/no etcd member answered from h1: context deadline exceeded/);
    expect(() => etcdMember.plan({ members: MEMBERS, name: 'h4' }, { host: 'h1', view: { kind: 'no-client' } })).toThrow(/no etcdctl client certificate/);
  });
  it.each([['3.4.23', true], ['3.5.4', true], ['3.3.25', false], [null, true]])('learners in etcd %s: %s', (v, ok) => expect(supportsLearners(v)).toBe(ok));
});
