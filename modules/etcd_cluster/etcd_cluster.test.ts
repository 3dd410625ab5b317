import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../../src/connection/fake-connection.js';
import { TaskFailure, type Change } from '../../src/module-api/index.js';
import { parseClusterView, type ClusterMember, type ClusterView } from './cluster-view.js';
import { changedVars, needsRestart, parseEnvFile, renderEtcdConfig, type EtcdConfig } from './etcd-config.js';
import etcdCluster from './index.js';
import { diffMembers, invariantProblems, memberListText } from './member-diff.js';
import { parseMembers } from './member-spec.js';
import { quorumOf, quorumRefusal, toleranceOf } from './quorum.js';
import { parseEtcdHost, type EtcdHostState } from './read-etcd-host.js';

export const testdata = (name: string): string => readFileSync(new URL(`./testdata/${name}.txt`, import.meta.url), 'utf8');
const MEMBERS = 'h1=https://10.231.0.11:2380,h2=https://10.231.0.12:2380,h3=https://10.231.0.13:2380';

function member(name: string, over: Partial<ClusterMember> = {}): ClusterMember {
  const n = Number(name.slice(1));
  return { id: `a${n}`, name, peerUrls: [`https://10.231.0.1${n}:2380`], clientUrls: [`https://10.231.0.1${n}:2379`], isLearner: false, health: 'healthy', ...over };
}
function view(members: ClusterMember[], leaders = ['a1']): ClusterView {
  return { kind: 'cluster', clusterId: 'c', members, leaders, version: '3.4.23' };
}

describe('members (initial-cluster syntax)', () => {
  it('parses names, peer URLs and hosts', () =>
    expect(parseMembers(` h1=https://10.0.0.1:2380,\n h2=https://etcd2.example:2380 `)).toEqual([
      { name: 'h1', peerUrl: 'https://10.0.0.1:2380', host: '10.0.0.1' },
      { name: 'h2', peerUrl: 'https://etcd2.example:2380', host: 'etcd2.example' },
    ]));
  it('reports every problem at once', () => {
    expect(() => parseMembers('h1=http://10.0.0.1:2380,h2,h3=https://10.0.0.3:2380,h3=https://10.0.0.4:2380')).toThrow(
      /"h1=http:\/\/10.0.0.1:2380" is not NAME=https:\/\/ADDRESS:PORT; "h2" is not .*; member h3 is listed twice/,
    );
    expect(() => parseMembers('')).toThrow(TaskFailure);
  });
});

describe('cluster view parser (captured etcdctl 3.4.23 output)', () => {
  it('healthy: hex ids, health, one leader, version', () => {
    const v = parseClusterView(testdata('view-healthy'));
    expect(v).toMatchObject({ kind: 'cluster', clusterId: '3dc7cab1848d5d72', leaders: ['a9533c21d95aa9eb'], version: '3.4.23' });
    if (v.kind !== 'cluster') throw new Error();
    expect(v.members.map((m) => [m.name, m.id, m.health])).toEqual([
      ['h2', '5e0b0b98246024d', 'healthy'],
      ['h1', 'a9533c21d95aa9eb', 'healthy'],
      ['h3', 'aaf3a7c94d412129', 'healthy'],
    ]);
  });
  it('a member down: unhealthy with etcdctl\'s error', () => {
    const v = parseClusterView(testdata('view-one-down'));
    if (v.kind !== 'cluster') throw new Error();
    expect(v.members.find((m) => m.name === 'h2')).toMatchObject({ health: 'unhealthy', error: 'context deadline exceeded' });
  });
  it('a started learner answers status (health refuses learners): healthy learner', () => {
    const v = parseClusterView(testdata('view-learner'));
    if (v.kind !== 'cluster') throw new Error();
    expect(v.members.find((m) => m.name === 'h4')).toMatchObject({ isLearner: true, health: 'healthy', id: 'af71c43adf073eb5' });
  });
  it('an added, not yet started learner has no name and no client URL', () => {
    const v = parseClusterView(testdata('view-unstarted'));
    if (v.kind !== 'cluster') throw new Error();
    expect(v.members[3]).toMatchObject({ name: '', isLearner: true, health: 'unknown', peerUrls: ['https://10.231.0.14:2380'], clientUrls: [] });
  });
  it('no member answers / no client certificate', () => {
    expect(parseClusterView(testdata('view-unreachable'))).toEqual({ kind: 'unreachable', error: 'Error: context deadline exceeded' });
    expect(parseClusterView(testdata('no-client'))).toEqual({ kind: 'no-client' });
  });
  it('host records', () => {
    expect(parseEtcdHost('h1', testdata('view-unreachable'))).toMatchObject({ host: 'h1', config: 'ETCD_NAME=h1\n', initialized: false, active: 'activating', enabled: 'enabled' });
    expect(() => parseEtcdHost('h1', 'garbage')).toThrow(/unexpected output/);
  });
});

describe('quorum arithmetic', () => {
  it.each([[1, 1, 0], [2, 2, 0], [3, 2, 1], [4, 3, 1], [5, 3, 2], [7, 4, 3]])('N=%i: quorum %i, tolerates %i', (n, q, t) => {
    expect([quorumOf(n), toleranceOf(n)]).toEqual([q, t]);
  });
  const three = [member('h1'), member('h2'), member('h3')];
  const h1Down = [member('h1', { health: 'unhealthy' }), member('h2'), member('h3')];
  const five = ['h1', 'h2', 'h3', 'h4', 'h5'].map((n) => member(n));
  const fiveOneDown = five.map((m) => (m.name === 'h1' ? { ...m, health: 'unhealthy' as const } : m));
  it.each<[string, ClusterMember[], Parameters<typeof quorumRefusal>[1], RegExp | null]>([
    ['N=3 all healthy: stop one', three, { kind: 'stop', member: 'h2' }, null],
    ['N=3 one down: stop another is refused', h1Down, { kind: 'stop', member: 'h2' }, /stopping etcd on h2 would leave 1 of 3 voting members healthy; quorum needs 2 \(a 3-member cluster tolerates 1 down\)\. Already down: h1\./],
    ['N=3 one down: stopping the down one is fine', h1Down, { kind: 'stop', member: 'h1' }, null],
    ['N=5 one down: stop another (tolerates 2)', fiveOneDown, { kind: 'stop', member: 'h2' }, null],
    ['N=5 two down: stop a third is refused', fiveOneDown.map((m) => (m.name === 'h2' ? { ...m, health: 'unhealthy' as const } : m)), { kind: 'stop', member: 'h3' }, /2 of 5 .*quorum needs 3/],
    ['N=3 one down: remove the down one (2 of 2)', h1Down, { kind: 'remove', member: 'h1' }, null],
    ['N=3 one down: remove a healthy one is refused', h1Down, { kind: 'remove', member: 'h2' }, /removing h2 would leave 1 of 2 .*quorum needs 2/],
    ['N=1: removing the last member', [member('h1')], { kind: 'remove', member: 'h1' }, /last voting member/],
    ['N=3 one down: add a voter that is not running is refused', h1Down, { kind: 'add-voter' }, /2 of 4 .*quorum needs 3/],
    ['N=3 one down: add a learner is fine', h1Down, { kind: 'add-learner' }, null],
    ['N=3 healthy + started learner: promote', [...three, member('h4', { isLearner: true })], { kind: 'promote', member: 'h4' }, null],
    ['no quorum at all', [member('h1', { health: 'unhealthy' }), member('h2', { health: 'unhealthy' }), member('h3')], { kind: 'update', member: 'h3' }, /no quorum: 1 of 3 .*2 are needed\. Already down: h1, h2\./],
  ])('%s', (_n, members, op, expected) => {
    const r = quorumRefusal(members, op);
    if (expected === null) expect(r).toBeNull();
    else expect(r).toMatch(expected);
  });
});

describe('member diff and the invariant', () => {
  const wanted = parseMembers(MEMBERS);
  it('equal: no differences', () => {
    expect(diffMembers([member('h1'), member('h2'), member('h3')], wanted)).toEqual({ missing: [], extra: [], moved: [] });
    expect(invariantProblems(view([member('h1'), member('h2'), member('h3')]), wanted)).toEqual([]);
  });
  it('every difference, exactly', () => {
    const v = view([member('h1'), member('h2', { peerUrls: ['https://10.231.0.60:2380'], health: 'unhealthy', error: 'context deadline exceeded' }), member('h5', { isLearner: true })], ['a1', 'a2']);
    expect(invariantProblems(v, wanted)).toEqual([
      'missing member h3 (https://10.231.0.13:2380): in the inventory\'s etcd group, not in the cluster',
      'extra member h5 (id a5, https://10.231.0.15:2380): in the cluster, not in the inventory (a stale member: remove it with etcd_member state: absent, see replace-etcd-member.yml)',
      'h2: peer URL https://10.231.0.60:2380 in the cluster, https://10.231.0.12:2380 in the inventory (see change-node-ip.yml)',
      'h2 is unhealthy: context deadline exceeded',
      'h5 is still a learner (not a voting member): promote it (etcd_member state: voter)',
      'members report 2 different leaders: a1, a2',
    ]);
  });
  it('an unstarted member is matched by its peer URL', () => {
    const d = diffMembers([member('h1'), member('h2'), member('h3', { name: '', clientUrls: [] })], wanted);
    expect(d).toEqual({ missing: [], extra: [], moved: [] });
  });
  it('no leader, unreachable, no client', () => {
    expect(invariantProblems(view([member('h1'), member('h2'), member('h3')], []), wanted)).toEqual(['no member reports a leader']);
    expect(invariantProblems({ kind: 'unreachable', error: 'x' }, wanted)).toEqual(['no member answered: x']);
    expect(invariantProblems({ kind: 'no-client' }, wanted)[0]).toMatch(/etcd_pki first/);
  });
  it('member list text is sorted and diffable', () => expect(memberListText([member('h2'), member('h1', { isLearner: true })])).toBe('h1 https://10.231.0.11:2380 (learner)\nh2 https://10.231.0.12:2380\n'));
});

describe('etcd config', () => {
  const cfg: EtcdConfig = {
    name: 'h1', dataDir: '/var/lib/etcd/default', peerUrl: 'https://10.0.0.1:2380', clientUrl: 'https://10.0.0.1:2379', clientPort: 2379,
    initialCluster: 'h1=https://10.0.0.1:2380', initialState: 'new', token: 't', pkiDest: '/etc/etcd/pki', extraEnv: { ETCD_QUOTA_BACKEND_BYTES: '8589934592', ETCD_LOG_OUTPUTS: 'a b' },
  };
  it('renders TLS for clients and peers, parses back', () => {
    const text = renderEtcdConfig(cfg);
    const vars = parseEnvFile(text);
    expect(Object.fromEntries(vars)).toMatchObject({
      ETCD_LISTEN_CLIENT_URLS: 'https://10.0.0.1:2379,https://127.0.0.1:2379', ETCD_CLIENT_CERT_AUTH: 'true', ETCD_PEER_CLIENT_CERT_AUTH: 'true',
      ETCD_CERT_FILE: '/etc/etcd/pki/server.crt', ETCD_PEER_KEY_FILE: '/etc/etcd/pki/peer.key', ETCD_TRUSTED_CA_FILE: '/etc/etcd/pki/ca.crt',
      ETCD_INITIAL_CLUSTER_STATE: 'new', ETCD_LOG_OUTPUTS: 'a b',
    });
    expect(text).toContain('ETCD_LOG_OUTPUTS="a b"\n');
  });
  it('only ETCD_INITIAL_* changes need no restart', () => {
    const a = parseEnvFile(renderEtcdConfig(cfg));
    const b = parseEnvFile(renderEtcdConfig({ ...cfg, initialState: 'existing', initialCluster: 'x' }));
    expect(changedVars(a, b)).toEqual(['ETCD_INITIAL_CLUSTER', 'ETCD_INITIAL_CLUSTER_STATE']);
    expect(needsRestart(changedVars(a, b))).toBe(false);
    expect(needsRestart(changedVars(a, parseEnvFile(renderEtcdConfig({ ...cfg, peerUrl: 'https://10.0.0.9:2380' }))))).toBe(true);
  });
});

describe('etcd_cluster plan', () => {
  const args = { members: MEMBERS };
  const running = (over: Partial<EtcdHostState> = {}): EtcdHostState => {
    const base: EtcdHostState = { host: 'h2', config: null, initialized: true, active: 'active', enabled: 'enabled', view: view([member('h1'), member('h2'), member('h3')]) };
    return { ...base, ...over };
  };
  /** The file etcd_cluster writes for h2 at bootstrap. */
  const bootFile = (): string => {
    const c = etcdCluster.plan(args, running({ initialized: false, active: 'inactive', enabled: 'disabled', view: { kind: 'unreachable', error: 'x' } }));
    return (c[0]!.steps[0] as { content: string }).content;
  };
  const summaries = (c: readonly Change[]) => c.map((x) => x.summary);

  it('fresh member, no cluster answers: a new cluster, enable, start without waiting', () => {
    const c = etcdCluster.plan(args, running({ initialized: false, active: 'inactive', enabled: 'disabled', view: { kind: 'unreachable', error: 'x' } }));
    expect(summaries(c)).toEqual(['create /etc/default/etcd: member h2 of a new cluster (h1, h2, h3)', 'enable etcd', 'start etcd without waiting (a new cluster forms once a quorum of members has started)']);
    expect(c[2]!.steps).toEqual([{ kind: 'exec', cmd: ['systemctl', '--no-block', 'start', 'etcd'], timeoutMs: 150_000 }]);
    expect(bootFile()).toContain(`ETCD_INITIAL_CLUSTER=${MEMBERS}\nETCD_INITIAL_CLUSTER_STATE=new\n`);
  });
  it('converged: initialized, running, same file -> []', () => expect(etcdCluster.plan(args, running({ config: bootFile() }))).toEqual([]));
  it('converged: still joining (running, no data yet) keeps the file as started', () => {
    expect(etcdCluster.plan(args, running({ config: bootFile(), initialized: false, active: 'activating' }))).toEqual([]);
  });
  it('a settings change restarts a running member when quorum allows, then waits for it', () => {
    const c = etcdCluster.plan({ ...args, extra_env: { ETCD_HEARTBEAT_INTERVAL: '200' } }, running({ config: bootFile() }));
    expect(summaries(c)).toEqual(['update /etc/default/etcd: ETCD_HEARTBEAT_INTERVAL changed', 'restart etcd on h2 and wait until it answers']);
    expect(c[1]!.steps[1]).toMatchObject({ kind: 'exec', retry: { attempts: 60, delayMs: 1000 } });
  });
  it('quorum guard: with h1 down, a restart of h2 is refused (nothing planned)', () => {
    const cur = running({ config: bootFile(), view: view([member('h1', { health: 'unhealthy' }), member('h2'), member('h3')]) });
    expect(() => etcdCluster.plan({ ...args, extra_env: { ETCD_HEARTBEAT_INTERVAL: '200' } }, cur)).toThrow(/refusing to restart etcd on h2: stopping etcd on h2 would leave 1 of 3 .*Already down: h1/);
    const forced = etcdCluster.plan({ ...args, extra_env: { ETCD_HEARTBEAT_INTERVAL: '200' }, force: true }, cur);
    expect(forced[1]!.summary).toMatch(/^FORCED \(stopping etcd on h2 would leave/);
  });
  it('a stopped member is started (no quorum question: it adds a member)', () => {
    expect(summaries(etcdCluster.plan(args, running({ config: bootFile(), active: 'inactive', view: view([member('h1'), member('h2', { health: 'unhealthy' }), member('h3')]) })))).toEqual(['start etcd without waiting (it rejoins the cluster)']);
  });
  it('fresh host that is a registered (unstarted) member joins with the cluster\'s current members', () => {
    const v = view([member('h1'), member('h2', { name: '', clientUrls: [], isLearner: true, health: 'unknown' }), member('h3'), member('h9')]);
    const c = etcdCluster.plan(args, running({ initialized: false, active: 'inactive', config: null, view: v }));
    expect(c[0]!.summary).toBe('create /etc/default/etcd: member h2 joining the running cluster (initial-cluster-state existing)');
    expect((c[0]!.steps[0] as { content: string }).content).toContain('ETCD_INITIAL_CLUSTER=h1=https://10.231.0.11:2380,h2=https://10.231.0.12:2380,h3=https://10.231.0.13:2380,h9=https://10.231.0.19:2380\nETCD_INITIAL_CLUSTER_STATE=existing\n');
  });
  it.each<[string, Partial<EtcdHostState>, RegExp]>([
    ['a new host that is not a member of the running cluster', { initialized: false, active: 'inactive', view: view([member('h1'), member('h3')]) }, /h2 has no etcd data yet and is not a member[^]*replace-etcd-member.yml/],
    ['a member whose address changed', { view: view([member('h1'), member('h2', { peerUrls: ['https://10.231.0.99:2380'] }), member('h3')]) }, /registered with peer URL https:\/\/10.231.0.99:2380[^]*change-node-ip.yml/],
    ['a member with data that was removed', { view: view([member('h1'), member('h3')]) }, /has etcd data but is not a member/],
    ['a host that is not in members', { host: 'h7' }, /h7 is not in members/],
  ])('refused: %s', (_n, over, msg) => {
    let err: unknown;
    try {
      etcdCluster.plan(args, running({ config: bootFile(), ...over }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TaskFailure);
    expect(`${(err as TaskFailure).message}\n${(err as TaskFailure).hint}`).toMatch(msg);
  });
  it('read is one round trip', async () => {
    const fake = new FakeConnection('h2').on(/etcdctl/, { stdout: testdata('view-healthy') });
    const cur = await etcdCluster.read(fake, args);
    expect(fake.callsOf('exec')).toHaveLength(1);
    expect(cur).toMatchObject({ host: 'h2', config: null, initialized: false, active: 'inactive' });
    expect(fake.calls[0]!.cmd).toContain(' --endpoints=https://10.231.0.11:2379,https://10.231.0.12:2379,https://10.231.0.13:2379 ');
  });
});

describe('etcd_cluster schema', () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(etcdCluster.args);
  it.each([
    [{ members: MEMBERS }, true],
    [{ members: MEMBERS, extra_env: null }, true],
    [{ members: MEMBERS, extra_env: { ETCD_HEARTBEAT_INTERVAL: '200' } }, true],
    [{ members: MEMBERS, extra_env: { PATH: '/x' } }, false],
    [{}, false],
  ])('%j valid=%s', (a, ok) => expect(validate(a)).toBe(ok));
  it('every property has a description', () => {
    for (const p of Object.values(etcdCluster.args['properties'] as Record<string, { description?: string }>)) expect(p.description).toBeTruthy();
  });
});
