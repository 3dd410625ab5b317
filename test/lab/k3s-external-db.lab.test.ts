/**
 * playbooks/ha-external-db.yml end to end on its own 5-host lab, against real datastores:
 * Debian's MariaDB (mariadb-server installed for real by the package module from a local apt
 * repository of Debian's own .debs, served on the lab bridge, provisioned by
 * playbooks/datastore-mariadb.yml), then the real TLS etcd cluster of runbooks/etcd-bootstrap.yml.
 * k3s is the TEST DOUBLE (it speaks MySQL's wire protocol and etcd's TLS gateway for real).
 *
 *   h1        datastore (MariaDB), etcd member
 *   h2, h3    k3s servers (external datastore)
 *   h4, h5    lb (keepalived + haproxy on *:6443 -> the servers) and k3s agents; etcd members
 *
 * The VIP failover is measured here: the VIP answers on 6443 through haproxy; the MASTER lb host
 * (h4) goes dark (its link down, as a powered-off host), the VIP moves to h5 and answers again.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labCacheRoot } from '../../src/lab/base-image.js';
import { labDown, labUp, type LabState } from '../../src/lab/lab.js';
import { doubleEvents, labConnectionInventory, removeK3s, startK3sMirror, type K3sMirror } from '../doubles/k3s/k3s-lab.js';
import { k3play, repoRoot } from '../e2e/cli.js';
import { buildAptRepo, type AptTestRepo } from '../repos/apt-repo.js';
import { downloadDebsFor } from '../repos/debian-debs.js';
import { changedTasks, hashHostFiles } from './converge.js';
import { labSkipReason } from './lab-guard.js';
import { inHostNetns, recapSummary, runRepoPlaybook, type CliRun } from './lab-run.js';
import { testLabName } from './shared-lab-config.js';
import { labSsh } from './shared-lab.js';

const NAME = testLabName('k3sdb');
const PB = (f: string) => path.join(repoRoot, 'playbooks', f);
const PASSWORD = `k3s.Db-${Date.now().toString(36)}x7`;
const failures = (r: CliRun) => r.results.filter((x) => x.status === 'failed').map((x) => `${x.host}/${x.task}: ${x.msg ?? ''} ${x.stderr ?? ''}`);
const ok = (r: CliRun) => expect([r.code, failures(r)], `${JSON.stringify(recapSummary(r))}\n${r.stderr.slice(-3000)}`).toEqual([0, []]);

function tlsAnswers(ip: string, port: number, timeoutMs = 300): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tlsConnect({ host: ip, port, rejectUnauthorized: false, timeout: timeoutMs }, () => (s.destroy(), resolve(true)));
    s.on('timeout', () => (s.destroy(), resolve(false)));
    s.on('error', () => resolve(false));
  });
}

describe.skipIf(labSkipReason() !== null)('k3s with an external datastore: ha-external-db.yml on MariaDB and on TLS etcd', () => {
  const stateDir = path.join(tmpdir(), `k3play-acc-${NAME}`);
  let state: LabState;
  let mirror: K3sMirror;
  let repo: AptTestRepo;
  let work: string;
  let inv: string[];
  let common: string[];
  let outputs = '';
  const ip = (h: string) => state.hosts.find((x) => x.name === h)!.ip;
  const run = async (playbook: string, args: string[] = []): Promise<CliRun> => {
    const r = await runRepoPlaybook(playbook, inv, [...common, ...args]);
    outputs += r.stdout + r.stderr + r.journal;
    return r;
  };
  const sh = async (host: string, cmd: string): Promise<string> => {
    const r = await labSsh(state, host, cmd, 120_000);
    expect(r.code, `${host}: ${cmd.slice(0, 200)}: ${r.stderr}`).toBe(0);
    return r.stdout.trim();
  };

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'k3p-k3sdb-'));
    state = await labUp({ name: NAME, full: 5, light: 0, topology: 'default', stateDir, log: () => undefined });
    // Debian's mariadb-server and what it needs beyond the base image (cached between runs).
    const debs = await downloadDebsFor(state.baseDir, ['mariadb-server'], path.join(labCacheRoot(), 'debs', 'mariadb-server'));
    [mirror, repo] = await Promise.all([startK3sMirror(state.bridgeIp, ['v1.28.4+k3s2']), buildAptRepo(state.bridgeIp, [], debs)]);
    const site = [
      '[datastore]', 'h1', '', '[etcd]', 'h1', 'h4', 'h5', '', '[servers]', 'h2', 'h3', '', '[agents]', 'h4', 'h5', '', '[lb]', 'h4', 'h5', '',
      '[all:vars]', 'vip_mode=keepalived', 'haproxy_frontend_port=6443', `k3s_datastore_host=${ip('h1')}`, 'k3s_version=v1.28.4+k3s2', '',
    ].join('\n');
    await writeFile(path.join(work, 'site.ini'), site);
    // The password as a vault value (as a site keeps it), and the apt repository of Debian's .debs.
    await writeFile(path.join(work, 'vault-pass'), 'k3play-test-vault\n');
    const enc = await k3play(['vault', 'encrypt_string', '--vault-password-file', path.join(work, 'vault-pass'), '--name', 'k3s_datastore_password'], { input: PASSWORD });
    expect(enc.code, enc.stderr).toBe(0);
    await writeFile(path.join(work, 'secrets.yml'), enc.stdout);
    await writeFile(path.join(work, 'repo.yml'), `mariadb_apt_repo: "${repo.debLine}"\nmariadb_update_cache: false\nmariadb_apt_key: |\n${repo.keyArmored.replace(/^/gm, '  ')}\n`);
    inv = [path.join(work, 'site.ini'), await labConnectionInventory(state, path.join(work, 'lab.ini'))];
    common = ['-e', `k3s_mirror_url=${mirror.url}`, '-e', `@${path.join(work, 'secrets.yml')}`, '-e', `@${path.join(work, 'repo.yml')}`, '--vault-password-file', path.join(work, 'vault-pass')];
  }, 300_000);

  afterAll(async () => {
    if (state) await inHostNetns(state, 'h4', ['ip', 'link', 'set', 'eth0', 'up']).catch(() => undefined);
    await labDown({ name: NAME, stateDir }).catch((e: unknown) => console.error(`labDown ${NAME} failed: ${String(e)}`));
    await mirror?.close();
    await repo?.close();
    if (work) await rm(work, { recursive: true, force: true });
    await rm(stateDir, { recursive: true, force: true });
  });

  it('datastore-mariadb.yml: --check writes nothing; MariaDB from the apt repository, database and user; second run changed=0', async () => {
    const before = await hashHostFiles(state, 'h1');
    const check = await run(PB('datastore-mariadb.yml'), ['--check']);
    ok(check);
    expect(await hashHostFiles(state, 'h1')).toBe(before);
    const r = await run(PB('datastore-mariadb.yml'));
    ok(r);
    expect(repo.requests.some((q) => q.includes('mariadb-server'))).toBe(true);
    expect(await sh('h1', "dpkg-query -W -f '${Status}\\n' mariadb-server; systemctl is-active mariadb")).toBe('install ok installed\nactive');
    const again = await run(PB('datastore-mariadb.yml'));
    ok(again);
    expect(again.changed, JSON.stringify(changedTasks(again))).toBe(0);
  }, 400_000);

  it('ha-external-db.yml on MariaDB: servers on the datastore, agents through the VIP; the rendered credentials work; changed=0 again', async () => {
    const t0 = Date.now() / 1000;
    const r = await run(PB('ha-external-db.yml'));
    ok(r);
    const ev = (await doubleEvents(state, ['h2', 'h3', 'h4', 'h5'])).filter((e) => e.ts >= t0);
    expect(ev.filter((e) => e.event === 'datastore').map((e) => [e.host, e.type, e.user, e.db_host, e.database, e.port])).toEqual([
      ['h2', 'mysql', 'k3s', ip('h1'), 'k3s', 3306],
      ['h3', 'mysql', 'k3s', ip('h1'), 'k3s', 3306],
    ]);
    expect(ev.filter((e) => e.event === 'start' && e.role === 'server').map((e) => e.datastore_endpoint)).toEqual([
      `mysql://k3s:********@tcp(${ip('h1')}:3306)/k3s`,
      `mysql://k3s:********@tcp(${ip('h1')}:3306)/k3s`,
    ]);
    expect(ev.filter((e) => e.event === 'joined').map((e) => [e.host, e.via]).sort()).toEqual([
      ['h4', `https://${state.apiVip}:6443`],
      ['h5', `https://${state.apiVip}:6443`],
    ]);
    // Connect with the credentials of the endpoint rendered into h2's config.yaml.
    const cfg = await sh('h2', 'cat /etc/rancher/k3s/config.yaml');
    const m = /datastore-endpoint: "mysql:\/\/([^:]+):([^@]+)@tcp\(([^:]+):(\d+)\)\/([^"]+)"/.exec(cfg);
    expect(m, cfg.replace(PASSWORD, '***')).not.toBeNull();
    const [, user, pass, host, port, db] = m!;
    expect(pass).toBe(PASSWORD);
    const cnf = Buffer.from(`[client]\nuser=${user}\npassword=${pass}\nhost=${host}\nport=${port}\n`).toString('base64');
    const rows = await sh('h1', `umask 077; echo ${cnf} | base64 -d > /root/.k3play-test.cnf; mariadb --defaults-extra-file=/root/.k3play-test.cnf -N -B ${db} -e "SELECT COUNT(DISTINCT name) FROM kine WHERE name LIKE '/registry/minions/%'"; rm -f /root/.k3play-test.cnf`);
    expect(Number(rows)).toBe(4);
    expect(await sh('h2', 'k3s kubectl get nodes -o name')).toBe('node/h2\nnode/h3\nnode/h4\nnode/h5');
    const again = await run(PB('ha-external-db.yml'));
    ok(again);
    expect(again.changed, JSON.stringify(changedTasks(again))).toBe(0);
  }, 400_000);

  it('VIP failover for real: the MASTER lb host goes dark, the VIP answers on 6443 through the BACKUP within 5 s', async () => {
    const vip = state.apiVip;
    expect(await tlsAnswers(vip, 6443, 2000)).toBe(true);
    expect(await sh('h4', 'ip -o -4 addr show eth0')).toContain(` ${vip}/`);
    const t0 = Date.now();
    await inHostNetns(state, 'h4', ['ip', 'link', 'set', 'eth0', 'down']);
    let answered = 0;
    while (Date.now() - t0 < 15_000) {
      if (await tlsAnswers(vip, 6443)) {
        answered = Date.now() - t0;
        break;
      }
    }
    console.log(`VIP failover (keepalived, MASTER h4 link down): the VIP answered through h5's haproxy after ${answered} ms`);
    expect(await sh('h5', 'ip -o -4 addr show eth0')).toContain(` ${vip}/`);
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThan(5000);
    await inHostNetns(state, 'h4', ['ip', 'link', 'set', 'eth0', 'up']);
    // h4 (priority 100) takes the VIP back; the site converges with nothing to change.
    const t1 = Date.now();
    while (Date.now() - t1 < 20_000 && !(await sh('h4', 'ip -o -4 addr show eth0')).includes(` ${vip}/`)) await new Promise((r) => setTimeout(r, 200));
    const r = await run(PB('ha-external-db.yml'));
    ok(r);
    expect(r.changed).toBe(0);
  }, 300_000);

  it('ha-external-db.yml on the real TLS etcd of etcd-bootstrap.yml', async () => {
    // A new cluster on another datastore: k3s is removed first (agents too: their token belongs to the old cluster).
    await removeK3s(state, ['h2', 'h3', 'h4', 'h5']);
    const boot = await runRepoPlaybook(path.join(repoRoot, 'playbooks', 'runbooks', 'etcd-bootstrap.yml'), inv, ['-e', `etcd_pki_dir=${path.join(work, 'pki')}`]);
    outputs += boot.stdout + boot.stderr + boot.journal;
    ok(boot);
    const t0 = Date.now() / 1000;
    const r = await run(PB('ha-external-db.yml'), ['-e', 'k3s_datastore_type=etcd']);
    ok(r);
    const endpoints = ['h1', 'h4', 'h5'].map((h) => `https://${ip(h)}:2379`);
    const ev = (await doubleEvents(state, ['h2', 'h3'])).filter((e) => e.ts >= t0 && e.event === 'datastore');
    expect(ev.map((e) => [e.host, e.type, e.endpoints, e.certfile])).toEqual([
      ['h2', 'etcd', endpoints, '/etc/rancher/k3s/etcd/client.crt'],
      ['h3', 'etcd', endpoints, '/etc/rancher/k3s/etcd/client.crt'],
    ]);
    const keys = await sh('h1', 'ETCDCTL_API=3 etcdctl --cacert=/etc/etcd/pki/ca.crt --cert=/etc/etcd/pki/etcdctl.crt --key=/etc/etcd/pki/etcdctl.key --endpoints=https://127.0.0.1:2379 get --prefix --keys-only /registry/minions/');
    expect(keys.split('\n').filter(Boolean).sort()).toEqual(['/registry/minions/h2', '/registry/minions/h3', '/registry/minions/h4', '/registry/minions/h5']);
    const again = await run(PB('ha-external-db.yml'), ['-e', 'k3s_datastore_type=etcd']);
    ok(again);
    expect(again.changed, JSON.stringify(changedTasks(again))).toBe(0);
  }, 400_000);

  it('the datastore password and the cluster token appear in no output, journal or process argument', async () => {
    const token = await sh('h2', 'cat /var/lib/rancher/k3s/server/token');
    const secret = token.slice(token.lastIndexOf(':') + 1);
    for (const s of [PASSWORD, secret]) expect(outputs.includes(s)).toBe(false);
    for (const h of ['h1', 'h2', 'h3', 'h4', 'h5']) expect((await sh(h, 'ps -eo args')).includes(PASSWORD)).toBe(false);
  });
});
