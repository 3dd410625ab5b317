/**
 * The headline job on its own lab: `k3play lab up 5 --topology ha-embedded`, then
 * playbooks/ha-embedded.yml with the example inventory as is (inventories/examples/edge-site.ini,
 * plus the lab's inventory for the connection settings; when this lab did not get 10.231.0.0/16
 * because another lab holds it, a temporary copy of the example with the addresses rewritten is
 * used instead, and the test says so). k3s is the TEST DOUBLE served by a local release mirror on
 * the bridge (test/doubles/k3s); etcd, keepalived, haproxy and systemd are real.
 *
 * One lab for the whole file; the tests build on each other in order: --check on the fresh lab,
 * the real run, converged second run, rolling restarts, the quorum guard, wrong tokens, airgap,
 * upgrade, replace-server, change-server-ip, the VIP failover, uninstall. afterAll tears the lab
 * down, also on failure.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labIp, labUp, type LabState } from '../../src/lab/lab.js';
import { doubleEvents, labConnectionInventory, minServersUp, removeK3s, startK3sMirror, type DoubleEvent, type K3sMirror } from '../doubles/k3s/k3s-lab.js';
import { repoRoot } from '../e2e/cli.js';
import { changedTasks, hashHostFiles } from './converge.js';
import { exampleSiteFor, examplesCopy } from './example-inventory.js';
import { labSkipReason } from './lab-guard.js';
import { recapSummary, runRepoPlaybook, runWithInventory, type CliRun } from './lab-run.js';
import { testLabName } from './shared-lab-config.js';
import { labSsh } from './shared-lab.js';

const NAME = testLabName('k3sha');
const SITE = path.join(repoRoot, 'playbooks', 'ha-embedded.yml');
const RUNBOOKS = path.join(repoRoot, 'playbooks', 'runbooks');
const SERVERS = ['h1', 'h2', 'h3'];
const ALL = ['h1', 'h2', 'h3', 'h4', 'h5'];

/** Host of a host_result (delegated results name the delegate). */
const failures = (r: CliRun) => r.results.filter((x) => x.status === 'failed').map((x) => `${x.host}/${x.task}: ${x.msg ?? ''} ${x.stderr ?? ''}`);
const ok = (r: CliRun) => expect([r.code, failures(r)], `${JSON.stringify(recapSummary(r))}\n${r.stderr.slice(-3000)}`).toEqual([0, []]);

/** The certificate's subjectAltName at ip:port (TLS, not verified), or null when nothing answers. */
function tlsSans(ip: string, port: number, timeoutMs = 400): Promise<string | null> {
  return new Promise((resolve) => {
    const s = tlsConnect({ host: ip, port, rejectUnauthorized: false, timeout: timeoutMs }, () => {
      const san = s.getPeerCertificate().subjectaltname ?? '';
      s.destroy();
      resolve(san);
    });
    s.on('timeout', () => (s.destroy(), resolve(null)));
    s.on('error', () => resolve(null));
  });
}

/**
 * A copy of the example site (its group_vars/host_vars as they are) with other `servers` /
 * `agents` groups and the lab's current addresses, plus the lab's connection settings without
 * its groups: for the runbooks that change the inventory (replace a server, change an IP).
 */
async function siteCopy(state: LabState, dir: string, servers: readonly string[], agents: readonly string[]): Promise<string[]> {
  await examplesCopy(state, dir);
  const ip = (h: string) => state.hosts.find((x) => x.name === h)!.ip;
  const site = ['[k3s_cluster:children]', 'servers', 'agents', '', '[servers]', ...servers.map((h) => `${h} ansible_host=${ip(h)}`), '', '[agents]',
    ...agents.map((h) => `${h} ansible_host=${ip(h)} node_labels="site=lab-a role=edge"`), '', '[lb]', 'h1 keepalived_state=MASTER', 'h2 keepalived_state=BACKUP', '', '[etcd]', ...servers, '',
    '[servers:vars]', 'k3s_role=server', '', '[agents:vars]', 'k3s_role=agent', '', '[all:vars]', 'ansible_user=root', 'k3s_version=v1.28.4+k3s2', `api_vip=${state.apiVip}`, ''];
  await writeFile(path.join(dir, 'edge-site.ini'), site.join('\n'));
  await rm(path.join(dir, 'edge-site.yml'));
  return [path.join(dir, 'edge-site.ini'), await labConnectionInventory(state, path.join(dir, 'lab-connection.ini'))];
}

describe.skipIf(labSkipReason() !== null)('k3s HA with embedded etcd: playbooks/ha-embedded.yml with the example inventory', () => {
  const stateDir = path.join(tmpdir(), `k3play-acc-${NAME}`);
  let state: LabState;
  let mirror: K3sMirror;
  let work: string;
  let inventories: string[];
  let vip: string;
  let regPort: number;
  let outputs = '';
  const run = async (playbook: string, args: string[] = [], invs = inventories): Promise<CliRun> => {
    const r = await runRepoPlaybook(playbook, invs, ['-e', `k3s_mirror_url=${mirror.url}`, ...args]);
    outputs += r.stdout + r.stderr + r.journal;
    return r;
  };
  const events = (hosts = ALL): Promise<DoubleEvent[]> => doubleEvents(state, hosts);
  const sh = async (host: string, cmd: string): Promise<string> => {
    const r = await labSsh(state, host, cmd, 120_000);
    expect(r.code, `${host}: ${cmd}: ${r.stderr}`).toBe(0);
    return r.stdout.trim();
  };

  beforeAll(async () => {
    state = await labUp({ name: NAME, full: 5, light: 0, topology: 'ha-embedded', stateDir, log: () => undefined });
    mirror = await startK3sMirror(state.bridgeIp);
    work = await mkdtemp(path.join(tmpdir(), 'k3p-k3sha-'));
    inventories = [await exampleSiteFor(state, work, 'edge-site.ini'), state.inventoryFile];
    vip = state.apiVip;
    regPort = 16443; // haproxy_frontend_port of the example's group_vars/lb.yml
  }, 300_000);

  afterAll(async () => {
    await labDown({ name: NAME, stateDir }).catch((e: unknown) => console.error(`labDown ${NAME} failed: ${String(e)}`));
    await mirror?.close();
    if (work) await rm(work, { recursive: true, force: true });
    await rm(stateDir, { recursive: true, force: true });
  });

  it('--check --diff on the fresh lab shows every file and unit it would create, and writes nothing', async () => {
    const before = await Promise.all(ALL.map((h) => hashHostFiles(state, h)));
    const r = await run(SITE, ['--check', '--diff']);
    ok(r);
    expect(await Promise.all(ALL.map((h) => hashHostFiles(state, h)))).toEqual(before);
    const diffsOf = (h: string) => r.results.filter((x) => x.host === h).flatMap((x) => x.changes.map((c) => c.diff?.path).filter(Boolean));
    for (const h of SERVERS) {
      expect(diffsOf(h)).toEqual(expect.arrayContaining(['/etc/rancher/k3s/config.yaml', '/etc/systemd/system/k3s.service', '/etc/systemd/system/k3s.service.env', '/usr/local/bin/k3s-killall.sh', '/usr/local/bin/k3s-uninstall.sh']));
    }
    for (const h of ['h4', 'h5']) expect(diffsOf(h)).toEqual(expect.arrayContaining(['/etc/systemd/system/k3s-agent.service', '/usr/local/bin/k3s-agent-uninstall.sh']));
    for (const h of ['h1', 'h2']) expect(diffsOf(h)).toEqual(expect.arrayContaining(['/etc/haproxy/haproxy.cfg', '/etc/keepalived/keepalived.conf']));
    const summaries = r.results.filter((x) => x.task === 'k3s server' || x.task === 'k3s agent').map((x) => `${x.host}: ${x.changes.map((c) => c.summary).join(' | ')}`);
    expect(summaries.join('\n')).toMatch(/h1: install k3s v1\.29\.0\+k3s1 .*start k3s and wait/);
    expect(summaries.join('\n')).toMatch(/h4: install k3s v1\.28\.4\+k3s2 .*start k3s-agent and wait/);
    (globalThis as { k3shaCheck?: string[] }).k3shaCheck = changedTasks(r).filter((t) => /\/k3s (server|agent)$|haproxy|keepalived/.test(t));
  }, 240_000);

  it('the real run brings up 3 servers (embedded etcd) + 2 agents + the API VIP; the second run changes nothing', async () => {
    const t0 = Date.now() / 1000;
    const r = await run(SITE, ['--diff']);
    if (r.code !== 0) {
      for (const h of ['h1', 'h2']) console.log(`${h} haproxy/keepalived journal:\n${(await labSsh(state, h, 'journalctl -u haproxy -u keepalived --no-pager | tail -30')).stdout}`);
    }
    ok(r);
    console.log(`ha-embedded.yml first run: ${r.wallMs} ms`);
    expect(changedTasks(r).filter((t) => /\/k3s (server|agent)$|haproxy|keepalived/.test(t))).toEqual((globalThis as { k3shaCheck?: string[] }).k3shaCheck);

    const ev = (await events()).filter((e) => e.ts >= t0);
    const starts = ev.filter((e) => e.event === 'start');
    // h1 started the cluster without a token (k3s generated it); every other node joined with exactly that one.
    const token = await sh('h1', 'cat /var/lib/rancher/k3s/server/token');
    const secretSha = createHash('sha256').update(token.slice(token.indexOf('::server:') + '::server:'.length)).digest('hex');
    expect(Object.fromEntries(starts.map((e) => [e.host, e.token_sha256]))).toEqual({ h1: '', h2: secretSha, h3: secretSha, h4: secretSha, h5: secretSha });
    const boot = ev.find((e) => e.event === 'etcd_bootstrap');
    expect(boot?.host).toBe('h1');
    const joins = ev.filter((e) => e.event === 'etcd_join').map((e) => [e.host, e.via]);
    expect(joins).toEqual([
      ['h2', `https://${vip}:${regPort}`],
      ['h3', `https://${vip}:${regPort}`],
    ]);
    expect(ev.filter((e) => e.event === 'etcd_promoted').map((e) => e.host)).toEqual(['h2', 'h3']);
    expect(ev.filter((e) => e.event === 'joined' && e.role === 'agent').map((e) => [e.host, e.via]).sort()).toEqual([
      ['h4', `https://${vip}:${regPort}`],
      ['h5', `https://${vip}:${regPort}`],
    ]);
    // Versions as the example's precedence gives them: h1 canary, servers group, [all:vars].
    expect(Object.fromEntries(starts.map((e) => [e.host, e.version]))).toEqual({ h1: 'v1.29.0+k3s1', h2: 'v1.28.5+k3s1', h3: 'v1.28.5+k3s1', h4: 'v1.28.4+k3s2', h5: 'v1.28.4+k3s2' });
    // tls-san: the VIP is in the serving certificate reached through the VIP and haproxy.
    expect(await tlsSans(vip, regPort)).toContain(`IP Address:${vip}`);
    const holders = await Promise.all(['h1', 'h2'].map(async (h) => ((await sh(h, 'ip -o -4 addr show')).includes(` ${vip}/`) ? h : null)));
    expect(holders.filter(Boolean)).toEqual(['h1']);
    expect(await sh('h1', 'k3s kubectl get nodes -o name')).toBe(['node/h1', 'node/h2', 'node/h3', 'node/h4', 'node/h5'].join('\n'));
    for (const s of starts) expect(s.unknown_config_keys, `${s.host}: config keys k3s would skip`).toEqual([]);
    expect((await sh('h1', 'stat -c %a /etc/rancher/k3s/config.yaml /var/lib/rancher/k3s/server/token /etc/systemd/system/k3s.service.env')).split('\n')).toEqual(['600', '600', '600']);

    const again = await run(SITE);
    ok(again);
    expect(again.changed, JSON.stringify(changedTasks(again))).toBe(0);
    console.log(`ha-embedded.yml converged run: ${again.wallMs} ms`);
  }, 300_000);

  it('a config change restarts the servers one at a time, each a voting etcd member before the next', async () => {
    const t0 = Date.now() / 1000;
    const r = await run(SITE, ['-e', '{"k3s_server_config": {"node-label": ["k3play.test/rolling=1"]}}']);
    ok(r);
    const ev = await events(SERVERS);
    const order = ev.filter((e) => e.ts >= t0 && e.event === 'stop').map((e) => e.host);
    expect(order).toEqual(SERVERS);
    const { min, at } = minServersUp(ev, SERVERS, t0, Date.now() / 1000);
    expect(min, `servers up at ${at}`).toBe(2);
    // each restarted server was a voting member (promoted or rejoined with its data) before the next stopped
    for (let i = 0; i < 2; i++) {
      const readyAgain = ev.find((e) => e.ts >= t0 && e.host === SERVERS[i] && e.event === 'ready')!;
      const nextStop = ev.find((e) => e.ts >= t0 && e.host === SERVERS[i + 1] && e.event === 'stop')!;
      expect(readyAgain.ts).toBeLessThan(nextStop.ts);
    }
  }, 300_000);

  it('a restart that would lose etcd quorum is refused, and nothing is restarted', async () => {
    await sh('h3', 'systemctl stop k3s');
    const t0 = Date.now() / 1000;
    const r = await run(SITE, ['-e', '{"k3s_server_config": {"node-label": ["k3play.test/rolling=2"]}}']);
    expect(r.code).toBe(2);
    const f = r.results.find((x) => x.status === 'failed' && x.task === 'k3s server');
    expect(f?.host).toBe('h1');
    expect(f?.msg).toMatch(/restarting k3s here now would leave 1 of 3 etcd members running; quorum needs 2\. Not healthy: h3-/);
    expect((await events(['h1', 'h2'])).filter((e) => e.ts >= t0 && e.event === 'stop')).toEqual([]);
    await sh('h3', 'systemctl start k3s');
    ok(await run(SITE)); // back to the site's own configuration (a rolling restart again)
  }, 300_000);

  it('wrong tokens are refused: a K10 token of another cluster before anything is written, a wrong secret by the server', async () => {
    await removeK3s(state, ['h5']);
    const token = await sh('h1', 'cat /var/lib/rancher/k3s/server/token');
    const pb = (tok: string) => `- hosts: h5
  gather_facts: false
  tasks:
    - name: join with a token
      k3s_install:
        role: agent
        version: v1.28.4+k3s2
        mirror_url: ${mirror.url}
        server: "https://${vip}:${regPort}"
        token: ${JSON.stringify(tok)}
        ready_timeout: 15
        config: { node-ip: "${state.hosts.find((h) => h.name === 'h5')!.ip}" }
`;
    const before = await hashHostFiles(state, 'h5');
    const otherCa = `K10${'0'.repeat(64)}${token.slice(token.indexOf('::'))}`;
    const a = await runWithInventory(state.inventoryFile, pb(otherCa));
    outputs += a.stdout + a.stderr + a.journal;
    expect(a.code).toBe(2);
    expect(a.results.find((x) => x.status === 'failed')?.msg).toMatch(/the token belongs to another cluster/);
    expect(await hashHostFiles(state, 'h5')).toBe(before);

    const t0 = Date.now() / 1000;
    const b = await runWithInventory(state.inventoryFile, pb('not-the-cluster-secret'));
    outputs += b.stdout + b.stderr + b.journal;
    expect(b.code).toBe(2);
    expect(b.results.find((x) => x.status === 'failed')?.msg).toMatch(/k3s-agent did not become ready within 15 s[\s\S]*401 Unauthorized/);
    // The server behind the VIP refused it (the remote address is haproxy's lb host).
    const refused = (await events(SERVERS)).filter((e) => e.ts >= t0 && e.event === 'join_refused');
    expect(refused.map((e) => [e.role, e.node, e.reason])).toContainEqual(['agent', 'h5', 'wrong node token']);
    await removeK3s(state, ['h5']);
  }, 240_000);

  it('airgap: with the mirror unreachable, a wrong sha256 is refused with nothing installed; the right files install', async () => {
    await removeK3s(state, ['h5']);
    const dir = path.join(work, 'airgap-v1.28.4');
    await cp(mirror.releaseDir('v1.28.4+k3s2'), dir, { recursive: true });
    const bad = path.join(work, 'airgap-bad');
    await cp(dir, bad, { recursive: true });
    await writeFile(path.join(bad, 'k3s'), `${await readFile(path.join(bad, 'k3s'), 'utf8')}# tampered\n`);
    const dead = `http://${state.bridgeIp}:9/k3s-io/k3s/releases/download`; // nothing listens there
    const before = await hashHostFiles(state, 'h5');
    const requests = mirror.requests.length;
    const refused = await run(SITE, ['--limit', 'h5', '-e', `k3s_airgap_dir=${bad}`, '-e', `k3s_mirror_url=${dead}`]);
    expect(refused.code).toBe(2);
    expect(refused.results.find((x) => x.status === 'failed' && x.task === 'k3s agent')?.msg).toMatch(/airgap-bad\/k3s has sha256 [0-9a-f]{64}, but sha256sum-amd64\.txt says [0-9a-f]{64}: refusing to install it/);
    expect(await sh('h5', 'ls /usr/local/bin; ls /etc/systemd/system | grep -c k3s || true')).toBe('0');
    const installed = await run(SITE, ['--limit', 'h5', '-e', `k3s_airgap_dir=${dir}`, '-e', `k3s_mirror_url=${dead}`]);
    ok(installed);
    expect(mirror.requests.length, 'no request reached the mirror').toBe(requests);
    expect(await sh('h5', 'k3s --version | head -1; ls /var/lib/rancher/k3s/agent/images')).toBe('k3s version v1.28.4+k3s2 (6ba6c1b6)\nk3s-airgap-images-amd64.tar.gz');
    void before;
  }, 300_000);

  it('upgrade runbook: servers one at a time, then agents, a majority of servers up at every step', async () => {
    const t0 = Date.now() / 1000;
    const r = await run(path.join(RUNBOOKS, 'upgrade.yml'), ['-e', 'k3s_version=v1.29.0+k3s1']);
    ok(r);
    const ev = await events();
    expect(minServersUp(ev, SERVERS, t0, Date.now() / 1000).min).toBeGreaterThanOrEqual(2);
    const restarts = ev.filter((e) => e.ts >= t0 && e.event === 'start').map((e) => `${e.host} ${e.version}`);
    expect(restarts).toEqual(['h2 v1.29.0+k3s1', 'h3 v1.29.0+k3s1', expect.stringMatching(/^h[45] v1\.29\.0\+k3s1$/), expect.stringMatching(/^h[45] v1\.29\.0\+k3s1$/)]);
    for (const h of ALL) expect(await sh(h, 'k3s --version | head -1')).toMatch(/^k3s version v1\.29\.0\+k3s1 /);
  }, 300_000);

  it('replace-server runbook: h3 out, h5 (an agent until now) in, a majority of servers up at every step', async () => {
    const site = await siteCopy(state, path.join(work, 'site-replaced'), ['h1', 'h2', 'h5'], ['h4']);
    const v = ['-e', 'k3s_version=v1.29.0+k3s1'];
    const check = await run(path.join(RUNBOOKS, 'replace-server.yml'), [...v, '-e', 'old_server=h3', '--check'], site);
    ok(check);
    const t0 = Date.now() / 1000;
    const r = await run(path.join(RUNBOOKS, 'replace-server.yml'), [...v, '-e', 'old_server=h3'], site);
    ok(r);
    const ev = await events();
    const { min, at } = minServersUp(ev, ['h1', 'h2', 'h3', 'h5'], t0, Date.now() / 1000);
    expect(min, `servers up at ${at}`).toBeGreaterThanOrEqual(2);
    expect(ev.filter((e) => e.ts >= t0 && ['etcd_join', 'stop', 'etcd_member_removed'].includes(e.event)).map((e) => `${e.host} ${e.event}`)).toEqual(['h3 stop', 'h5 stop', 'h5 etcd_join']);
    const members = JSON.parse(await sh('h1', 'T=/var/lib/rancher/k3s/server/tls/etcd; curl -sS --cacert $T/server-ca.crt --cert $T/client.crt --key $T/client.key -X POST -d "{}" https://127.0.0.1:2379/v3/cluster/member/list')) as { members: { name: string; isLearner?: boolean }[] };
    expect(members.members.map((m) => m.name.replace(/-[0-9a-f]{8}$/, '')).sort()).toEqual(['h1', 'h2', 'h5']);
    expect(await sh('h5', 'systemctl is-enabled k3s; systemctl is-enabled k3s-agent || true')).toMatch(/^enabled(\n(disabled|not-found))?$/);
    expect(await sh('h3', 'ls /usr/local/bin /etc/systemd/system | grep -c k3s || true')).toBe('0');
    expect(await sh('h1', 'k3s kubectl get nodes -o name')).toBe('node/h1\nnode/h2\nnode/h4\nnode/h5');
    const again = await run(path.join(RUNBOOKS, 'replace-server.yml'), [...v, '-e', 'old_server=h3'], site);
    ok(again);
    expect(again.changed, JSON.stringify(changedTasks(again))).toBe(0);
  }, 300_000);

  it('change-server-ip runbook: h2 moves to a new address, its member is removed and rejoins, quorum kept', async () => {
    const oldIp = state.hosts.find((h) => h.name === 'h2')!.ip;
    const newIp = `${state.net}.0.62`;
    state = await labIp({ name: NAME, stateDir }, 'h2', newIp);
    const site = await siteCopy(state, path.join(work, 'site-ip'), ['h1', 'h2', 'h5'], ['h4']);
    const v = ['-e', 'k3s_version=v1.29.0+k3s1'];
    const t0 = Date.now() / 1000;
    const r = await run(path.join(RUNBOOKS, 'change-server-ip.yml'), [...v, '-e', 'server=h2'], site);
    ok(r);
    const ev = (await events(['h1', 'h2', 'h5'])).filter((e) => e.ts >= t0);
    expect(ev.filter((e) => e.event === 'etcd_join').map((e) => [e.host, e.peer_url])).toEqual([['h2', `https://${newIp}:2380`]]);
    expect(ev.filter((e) => e.event === 'stop').map((e) => e.host)).toEqual(['h2']);
    const members = await sh('h1', 'T=/var/lib/rancher/k3s/server/tls/etcd; curl -sS --cacert $T/server-ca.crt --cert $T/client.crt --key $T/client.key -X POST -d "{}" https://127.0.0.1:2379/v3/cluster/member/list');
    expect(members).toContain(`"https://${newIp}:2380"`);
    expect(members).not.toContain(oldIp);
    expect(await sh('h1', 'grep -c ' + newIp + ' /etc/haproxy/haproxy.cfg')).toBe('1');
    const again = await run(path.join(RUNBOOKS, 'change-server-ip.yml'), [...v, '-e', 'server=h2'], site);
    ok(again);
    expect(again.changed, JSON.stringify(changedTasks(again))).toBe(0);
  }, 300_000);

  it('no secret in any output, run journal or process argument', async () => {
    const token = await sh('h1', 'cat /var/lib/rancher/k3s/server/token');
    const secret = token.slice(token.lastIndexOf(':') + 1);
    expect(secret.length).toBeGreaterThan(10);
    expect(outputs.includes(secret)).toBe(false);
    for (const h of ALL) expect((await sh(h, 'ps -eo args')).includes(secret), `${h} ps`).toBe(false);
  });

  it('uninstall runbook: refused without confirmation, then removes k3s everywhere', async () => {
    const site = await siteCopy(state, path.join(work, 'site-ip'), ['h1', 'h2', 'h5'], ['h4']);
    const refused = await run(path.join(RUNBOOKS, 'uninstall.yml'), [], site);
    expect(refused.code).toBe(2);
    expect(await sh('h4', 'systemctl is-active k3s-agent')).toBe('active');
    ok(await run(path.join(RUNBOOKS, 'uninstall.yml'), ['-e', 'k3s_uninstall=yes'], site));
    for (const h of ['h1', 'h2', 'h4', 'h5']) {
      expect(await sh(h, 'ls -A /usr/local/bin | wc -l; ls -d /etc/rancher/k3s /var/lib/rancher/k3s 2>/dev/null | wc -l; systemctl list-unit-files "k3s*" --no-legend | wc -l; pgrep -c etcd || true'), h).toBe('0\n0\n0\n0');
    }
  }, 180_000);

  it('vip_mode kube-vip: a new cluster whose VIP kube-vip holds on exactly one server, moving when that server stops', async () => {
    const site = await siteCopy(state, path.join(work, 'site-kv'), ['h1', 'h2', 'h5'], ['h4']);
    await Promise.all(['h1', 'h2'].map((h) => sh(h, 'systemctl disable --now keepalived haproxy')));
    const r = await run(SITE, ['-e', 'vip_mode=kube-vip', '-e', 'k3s_version=v1.28.4+k3s2'], site);
    ok(r);
    expect(await sh('h1', 'grep -A1 "name: address" /var/lib/rancher/k3s/server/manifests/kube-vip.yaml')).toContain(`value: ${vip}`);
    const holder = async () => (await Promise.all(['h1', 'h2', 'h5'].map(async (h) => ((await sh(h, 'ip -o -4 addr show eth0')).includes(` ${vip}/`) ? h : '')))).filter(Boolean);
    const first = await holder();
    expect(first).toHaveLength(1);
    expect((await events(['h4'])).filter((e) => e.event === 'joined').at(-1)?.via).toBe(`https://${vip}:6443`);
    await sh(first[0]!, 'systemctl stop k3s');
    const t0 = Date.now();
    let now: string[] = [];
    while (Date.now() - t0 < 20_000) {
      now = await holder();
      if (now.length === 1 && now[0] !== first[0]) break;
    }
    console.log(`kube-vip (emulated by the double): the VIP moved from ${first[0]} to ${now.join(',')} in ${Date.now() - t0} ms`);
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(first[0]);
    await sh(first[0]!, 'systemctl start k3s');
  }, 240_000);
});
