import { describe, expect, it } from 'vitest';
import { TaskFailure } from '../../src/module-api/index.js';
import type { ClusterMember, ClusterView } from '../etcd_cluster/cluster-view.js';
import type { EtcdHostState } from '../etcd_cluster/read-etcd-host.js';
import etcdCluster from '../etcd_cluster/index.js';
import update from './index.js';

const OLD = 'h1=https://10.231.0.11:2380,h2=https://10.231.0.12:2380,h3=https://10.231.0.13:2380';
const NEW = 'h1=https://10.231.0.11:2380,h2=https://10.231.0.12:2380,h3=https://10.231.0.60:2380';
function member(name: string, over: Partial<ClusterMember> = {}): ClusterMember {
  const n = Number(name.slice(1));
  return { id: `a${n}`, name, peerUrls: [`https://10.231.0.1${n}:2380`], clientUrls: [`https://10.231.0.1${n}:2379`], isLearner: false, health: 'healthy', ...over };
}
const view = (members: ClusterMember[]): ClusterView => ({ kind: 'cluster', clusterId: 'c', members, leaders: ['a1'], version: '3.4.23' });
/** h3's config as etcd_cluster wrote it at its old address. */
const oldFile = (): string => {
  const c = etcdCluster.plan({ members: OLD }, { host: 'h3', config: null, initialized: false, active: 'inactive', enabled: 'disabled', view: { kind: 'unreachable', error: 'x' } });
  return (c[0]!.steps[0] as { content: string }).content;
};
const h3 = (over: Partial<EtcdHostState> = {}): EtcdHostState => ({ host: 'h3', config: oldFile(), initialized: true, active: 'active', enabled: 'enabled', view: view([member('h1'), member('h2'), member('h3', { health: 'unhealthy', error: 'context deadline exceeded' })]), ...over });

describe('etcd_member_update plan', () => {
  it('moved member: member update through the others, new config, restart, wait for the whole cluster', () => {
    const c = update.plan({ members: NEW }, h3());
    expect(c.map((x) => x.summary)).toEqual([
      'member h3 (id a3): peer URL https://10.231.0.13:2380 -> https://10.231.0.60:2380',
      'update /etc/default/etcd: ETCD_ADVERTISE_CLIENT_URLS, ETCD_INITIAL_ADVERTISE_PEER_URLS, ETCD_LISTEN_CLIENT_URLS, ETCD_LISTEN_PEER_URLS changed',
      'restart etcd on h3 and wait until it answers',
      'wait until every member is healthy',
    ]);
    const cmd = (c[0]!.steps[0] as { cmd: string[] }).cmd;
    expect(cmd).toContain('--endpoints=https://10.231.0.11:2379,https://10.231.0.12:2379');
    expect(cmd.slice(-3)).toEqual(['update', 'a3', '--peer-urls=https://10.231.0.60:2380']);
    expect(c[0]!.diff).toEqual({ path: 'etcd member list', before: 'h1 https://10.231.0.11:2380\nh2 https://10.231.0.12:2380\nh3 https://10.231.0.13:2380\n', after: 'h1 https://10.231.0.11:2380\nh2 https://10.231.0.12:2380\nh3 https://10.231.0.60:2380\n' });
    expect((c[1]!.diff?.after ?? '')).toContain('ETCD_LISTEN_PEER_URLS=https://10.231.0.60:2380\n');
    expect((c[1]!.diff?.after ?? '')).toContain(`ETCD_INITIAL_CLUSTER=${OLD}\n`); // read only at bootstrap: kept
  });
  it('converged: member and file already at the new address, running -> []', () => {
    const done = update.plan({ members: NEW }, h3());
    const file = (done[1]!.steps[0] as { content: string }).content;
    expect(update.plan({ members: NEW }, h3({ config: file, view: view([member('h1'), member('h2'), member('h3', { peerUrls: ['https://10.231.0.60:2380'] })]) }))).toEqual([]);
  });
  it('a member that did not move is left alone', () => {
    const h1File = (etcdCluster.plan({ members: OLD }, { host: 'h1', config: null, initialized: false, active: 'inactive', enabled: 'disabled', view: { kind: 'unreachable', error: 'x' } })[0]!.steps[0] as { content: string }).content;
    expect(update.plan({ members: NEW }, { ...h3(), host: 'h1', config: h1File, view: view([member('h1'), member('h2'), member('h3', { health: 'unhealthy' })]) })).toEqual([]);
  });
  it.each<[string, Partial<EtcdHostState>, RegExp]>([
    ['no quorum without the moved member', { view: view([member('h1', { health: 'unhealthy' }), member('h2'), member('h3', { health: 'unhealthy' })]) }, /refusing to update member h3: the cluster has no quorum: 1 of 3/],
    ['restart of a healthy moved member with another down', { view: view([member('h1', { health: 'unhealthy' }), member('h2'), member('h3')]) }, /refusing to restart etcd on h3: stopping etcd on h3 would leave 1 of 3/],
    ['no member by that name', { view: view([member('h1'), member('h2')]) }, /no member named h3/],
    ['a host without etcd data', { initialized: false, active: 'inactive' }, /no etcd data: there is no member to update/],
  ])('refused (nothing changed): %s', (_n, over, msg) => {
    let err: unknown;
    try {
      update.plan({ members: NEW }, h3(over));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TaskFailure);
    expect((err as TaskFailure).message).toMatch(msg);
  });
});
