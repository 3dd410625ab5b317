import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../../src/connection/fake-connection.js';
import type { ClusterMember, ClusterView } from '../etcd_cluster/cluster-view.js';
import check from './index.js';

const MEMBERS = 'h1=https://10.231.0.11:2380,h2=https://10.231.0.12:2380,h3=https://10.231.0.13:2380';
function member(name: string, over: Partial<ClusterMember> = {}): ClusterMember {
  const n = Number(name.slice(1));
  return { id: `a${n}`, name, peerUrls: [`https://10.231.0.1${n}:2380`], clientUrls: [`https://10.231.0.1${n}:2379`], isLearner: false, health: 'healthy', ...over };
}
const view = (members: ClusterMember[], leaders = ['a1']): ClusterView => ({ kind: 'cluster', clusterId: 'c', members, leaders, version: '3.4.23' });

describe('etcd_check', () => {
  it('holds: []', () => expect(check.plan({ members: MEMBERS }, view([member('h1'), member('h2'), member('h3')]))).toEqual([]));
  it('a stale member left behind fails with the exact difference', () => {
    expect(() => check.plan({ members: MEMBERS }, view([member('h1'), member('h2'), member('h3'), member('h9', { health: 'unhealthy' })]))).toThrow(
      /does not match the inventory:\n {2}- extra member h9 \(id a9, https:\/\/10.231.0.19:2380\): in the cluster, not in the inventory[^\n]*\n {2}- h9 is unhealthy$/,
    );
  });
  it('waits for health in the same round trip, then reads the view', async () => {
    const fake = new FakeConnection('h1').on(/etcdctl/, { stdout: '@@etcd-client=absent\n' });
    expect(await check.read(fake, { members: MEMBERS, timeout: 5 })).toEqual({ kind: 'no-client' });
    expect(fake.callsOf('exec')).toHaveLength(1);
    expect(fake.calls[0]!.cmd).toMatch(/end=\$\(\( \$\(date \+%s\) \+ 5 \)\)[^]*endpoint health --cluster[^]*grep -q ', unstarted,'/);
  });
});
