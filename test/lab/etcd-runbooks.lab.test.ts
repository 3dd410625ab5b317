/**
 * The etcd runbooks on a real etcd 3.4 cluster with TLS (Debian's etcd-server in the lab base
 * image), on a lab of its own: 4 full hosts, topology external-etcd (etcd = h1-h3, servers =
 * h4), torn down in afterAll also on failure. The tests build on each other, in order:
 * bootstrap -> IP change of h3 -> quorum guard -> replacement of the destroyed h3 by h4. Every
 * runbook is run with --check first (hashes of the hosts' files and of the controller's PKI
 * directory must not move), then for real, then again (changed=0).
 *
 * k3s is not installed (only its config.yaml and a test-double k3s.service that sleeps, so the
 * datastore rewrite and the one-at-a-time restart are observable).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labIp, labUp, type LabState } from '../../src/lab/lab.js';
import { createCa, inspectCert, issueCert } from '../../modules/etcd_pki/x509-certs.js';
import { repoRoot } from '../e2e/cli.js';
import { changedTasks, hashHostFiles } from './converge.js';
import { labSkipReason } from './lab-guard.js';
import { runPlaybookFile, type CliRun } from './lab-run.js';
import { testLabName } from './shared-lab-config.js';
import { labSsh } from './shared-lab.js';

const NAME = testLabName('etcd');
const RUNBOOKS = path.join(repoRoot, 'playbooks', 'runbooks');
const TLS = '--cacert=/etc/etcd/pki/ca.crt --cert=/etc/etcd/pki/etcdctl.crt --key=/etc/etcd/pki/etcdctl.key';
/** etcd's data directory changes by itself while etcd runs: compared by the member list instead. */
const CONFIG_PATHS = ['/etc', '/usr/local'];

describe.skipIf(labSkipReason() !== null)('etcd runbooks on a real etcd cluster with TLS', () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'k3play-etcd-lab-'));
  /** Where k3play runs: its PKI directory (.k3play/pki/etcd) and run journal (.k3play/runs) live here. */
  const work = mkdtempSync(path.join(tmpdir(), 'k3play-etcd-work-'));
  const pkiDir = path.join(work, '.k3play', 'pki', 'etcd');
  let state: LabState;
  const outputs: string[] = [];
  const t0 = Date.now();

  beforeAll(async () => {
    state = await labUp({ name: NAME, full: 4, light: 0, topology: 'external-etcd', stateDir, log: () => undefined });
    console.log(`etcd lab up in ${Date.now() - t0} ms`);
  }, 240_000);
  afterAll(async () => {
    await labDown({ name: NAME, stateDir }).catch((e: unknown) => console.error(`labDown ${NAME} failed: ${String(e)}`));
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
    console.log(`etcd lab suite: ${Date.now() - t0} ms`);
  });

  async function runbook(file: string, opts: { inventory?: string; check?: boolean; extra?: string[] } = {}): Promise<CliRun> {
    const args = [...(opts.check ? ['--check', '--diff'] : []), ...(opts.extra ?? []).flatMap((e) => ['-e', e])];
    const r = await runPlaybookFile(opts.inventory ?? state.inventoryFile, path.join(RUNBOOKS, file), { args, cwd: work });
    outputs.push(r.stdout, r.stderr);
    console.log(`${file}${opts.check ? ' --check' : ''}: ${r.wallMs} ms, changed=${r.changed}, failed=${r.failed}`);
    return r;
  }
  const ok = (r: CliRun) => expect([r.code, r.failed], r.results.filter((x) => x.status === 'failed').map((x) => `${x.host}: ${x.msg}`).join('\n') + r.stderr).toEqual([0, 0]);
  const summaries = (r: CliRun, host?: string) => r.results.filter((x) => !host || x.host === host).flatMap((x) => x.changes.map((c) => c.summary));
  async function etcdctl(host: string, args: string, endpoints = 'https://127.0.0.1:2379'): Promise<{ code: number; stdout: string }> {
    const r = await labSsh(state, host, `etcdctl ${TLS} --endpoints=${endpoints} --dial-timeout=2s --command-timeout=3s ${args} 2>/dev/null`);
    return { code: r.code, stdout: r.stdout };
  }
  /** How many members `endpoint health --cluster` finds healthy, asked on `host` over TLS. */
  async function healthyCount(host: string, endpoint = 'https://127.0.0.1:2379'): Promise<number> {
    const r = await etcdctl(host, 'endpoint health --cluster -w json', endpoint);
    return (r.stdout.match(/"health":true/g) ?? []).length;
  }
  async function memberList(host: string): Promise<string[]> {
    const r = await etcdctl(host, 'member list');
    expect(r.code).toBe(0);
    return r.stdout.trim().split('\n').map((l) => l.split(', ').slice(1, 4).join(' ')).sort();
  }
  const hashes = (hosts: string[], paths?: string[]) => Promise.all(hosts.map((h) => hashHostFiles(state, h, paths)));
  function pkiHash(): string {
    const h = createHash('sha256');
    const walk = (d: string): void => {
      let names: string[];
      try {
        names = readdirSync(d).sort();
      } catch {
        return;
      }
      for (const n of names) {
        const p = path.join(d, n);
        const st = statSync(p);
        h.update(`${p} ${st.mode}\n`);
        if (st.isDirectory()) walk(p);
        else h.update(readFileSync(p));
      }
    };
    walk(pkiDir);
    return h.digest('hex');
  }
  function inventoryWithEtcd(members: string[], file: string): string {
    const text = readFileSync(state.inventoryFile, 'utf8').replace(/^\[etcd\]\n(?:\S+\n)*/m, `[etcd]\n${members.join('\n')}\n`);
    const p = path.join(work, file);
    writeFileSync(p, text);
    return p;
  }

  it('bootstrap: --check writes nothing; a 3-member TLS cluster comes up; endpoint health over TLS; second run changed=0; clients without a valid certificate are refused', async () => {
    const all = ['h1', 'h2', 'h3', 'h4'];
    const fresh = [...CONFIG_PATHS, '/var/lib/etcd'];
    const before = await hashes(all, fresh);
    const check = await runbook('etcd-bootstrap.yml', { check: true });
    ok(check);
    expect(await hashes(all, fresh)).toEqual(before);
    expect(() => statSync(pkiDir)).toThrow(); // not even the controller's PKI directory
    expect(summaries(check, 'h1')).toEqual(expect.arrayContaining([expect.stringMatching(/^create the etcd CA CN=k3play-etcd-ca/), 'push /etc/etcd/pki/server.key', 'update /etc/default/etcd: member h1 of a new cluster (h1, h2, h3); the cluster is not visible from this host yet (no etcdctl certificate), so a new one is assumed']));
    expect(summaries(check, 'h4')).toEqual(expect.arrayContaining([expect.stringMatching(/^issue client certificate CN=k3s/), 'push /etc/rancher/k3s/etcd/client.key']));

    const run = await runbook('etcd-bootstrap.yml');
    ok(run);
    expect(changedTasks(run)).toEqual(changedTasks(check));
    expect(await healthyCount('h1', `https://${state.hosts[0]!.ip}:2379`)).toBe(3);
    expect(await memberList('h1')).toEqual(['started h1 https://' + state.hosts[0]!.ip + ':2380', 'started h2 https://' + state.hosts[1]!.ip + ':2380', 'started h3 https://' + state.hosts[2]!.ip + ':2380']);
    const k3sFiles = await labSsh(state, 'h4', 'stat -c "%n %a %U" /etc/rancher/k3s/etcd/ca.crt /etc/rancher/k3s/etcd/client.crt /etc/rancher/k3s/etcd/client.key');
    expect(k3sFiles.stdout.trim().split('\n')).toEqual(['/etc/rancher/k3s/etcd/ca.crt 644 root', '/etc/rancher/k3s/etcd/client.crt 644 root', '/etc/rancher/k3s/etcd/client.key 600 root']);
    const keys = await labSsh(state, 'h1', 'stat -c "%n %a %U" /etc/etcd/pki/server.key /etc/etcd/pki/peer.key /etc/etcd/pki/etcdctl.key');
    expect(keys.stdout.trim().split('\n')).toEqual(['/etc/etcd/pki/server.key 600 etcd', '/etc/etcd/pki/peer.key 600 etcd', '/etc/etcd/pki/etcdctl.key 600 root']);

    const again = await runbook('etcd-bootstrap.yml');
    ok(again);
    expect(again.changed).toBe(0);

    // Clients: no certificate, and a certificate from another CA, are refused; the k3s client certificate works.
    const url = `https://${state.hosts[0]!.ip}:2379/health`;
    const other = await createCa('not-the-etcd-ca', 2, new Date());
    const rogue = await issueCert(other, { cn: 'k3s', profile: 'client', sans: [], validDays: 2 }, new Date());
    await labSsh(state, 'h4', `umask 077; printf '%s' '${rogue.certPem}' > /tmp/rogue.crt; printf '%s' '${rogue.keyPem}' > /tmp/rogue.key`);
    const noCert = await labSsh(state, 'h4', `curl -sS --max-time 5 --cacert /etc/rancher/k3s/etcd/ca.crt ${url}`);
    const wrongCa = await labSsh(state, 'h4', `curl -sS --max-time 5 --cacert /etc/rancher/k3s/etcd/ca.crt --cert /tmp/rogue.crt --key /tmp/rogue.key ${url}`);
    const k3sCert = await labSsh(state, 'h4', `curl -sS --max-time 5 --cacert /etc/rancher/k3s/etcd/ca.crt --cert /etc/rancher/k3s/etcd/client.crt --key /etc/rancher/k3s/etcd/client.key ${url}`);
    await labSsh(state, 'h4', 'rm -f /tmp/rogue.crt /tmp/rogue.key');
    expect([noCert.code === 0, noCert.stdout]).toEqual([false, '']);
    expect([wrongCa.code === 0, wrongCa.stdout]).toEqual([false, '']);
    expect([k3sCert.code, k3sCert.stdout]).toEqual([0, '{"health":"true"}']);
  }, 240_000);

  it('IP change: h3 moves, change-node-ip.yml updates the member in place (new peer URL, certificates, k3s endpoints); the key survives; second run changed=0', async () => {
    expect((await etcdctl('h1', 'put k3play-ip-change before')).code).toBe(0);
    const oldIp = state.hosts[2]!.ip;
    const newIp = `${state.net}.0.60`;
    // k3s is not installed: its config file and a test-double unit that only sleeps.
    await labSsh(state, 'h4', [
      'mkdir -p /etc/rancher/k3s',
      `printf '# k3s\\ntoken: K10test::server:x\\ndatastore-endpoint: https://${state.hosts[0]!.ip}:2379,https://${state.hosts[1]!.ip}:2379,https://${oldIp}:2379\\n' > /etc/rancher/k3s/config.yaml`,
      `printf '[Unit]\\nDescription=TEST DOUBLE of k3s (sleeps; no k3s binary in tests)\\n[Service]\\nExecStart=/bin/sleep infinity\\n' > /etc/systemd/system/k3s.service`,
      'systemctl daemon-reload && systemctl start k3s',
    ].join(' && '));
    const k3sBefore = (await labSsh(state, 'h4', 'systemctl show -p InvocationID --value k3s')).stdout.trim();
    state = await labIp({ name: NAME, stateDir }, 'h3', newIp);

    const all = ['h1', 'h2', 'h3', 'h4'];
    const before = await hashes(all, CONFIG_PATHS);
    const pkiBefore = pkiHash();
    const check = await runbook('change-node-ip.yml', { check: true });
    ok(check);
    expect(await hashes(all, CONFIG_PATHS)).toEqual(before);
    expect(pkiHash()).toBe(pkiBefore);
    const h3 = check.results.find((x) => x.host === 'h3' && x.module === 'etcd_member_update' && x.status === 'changed');
    expect(h3?.changes[0]).toMatchObject({ summary: expect.stringMatching(new RegExp(`^member h3 \\(id [0-9a-f]+\\): peer URL https://${oldIp}:2380 -> https://${newIp}:2380$`)), diff: { path: 'etcd member list' } });
    expect(h3?.changes[0]?.diff?.after).toContain(`h3 https://${newIp}:2380\n`);
    expect(summaries(check, 'h3')).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^issue server certificate CN=h3 .*SANs changed: \\+IP:${newIp} -IP:${oldIp}$`))]));
    expect(summaries(check, 'h1').filter((s) => !s.startsWith('check first'))).toEqual([]);

    const run = await runbook('change-node-ip.yml');
    ok(run);
    expect(changedTasks(run)).toEqual(changedTasks(check));
    expect(await memberList('h1')).toContain(`started h3 https://${newIp}:2380`);
    expect(await healthyCount('h1', `https://${state.hosts[0]!.ip}:2379`)).toBe(3);
    expect((await etcdctl('h3', 'get --print-value-only k3play-ip-change')).stdout.trim()).toBe('before');
    for (const f of ['server', 'peer']) {
      const cert = await inspectCert((await labSsh(state, 'h3', `cat /etc/etcd/pki/${f}.crt`)).stdout);
      expect(cert.sans).toContain(`IP:${newIp}`);
      expect(cert.sans).not.toContain(`IP:${oldIp}`);
    }
    expect((await labSsh(state, 'h4', 'cat /etc/rancher/k3s/config.yaml')).stdout).toBe(`# k3s\ntoken: K10test::server:x\ndatastore-endpoint: https://${state.hosts[0]!.ip}:2379,https://${state.hosts[1]!.ip}:2379,https://${newIp}:2379\n`);
    expect((await labSsh(state, 'h4', 'systemctl show -p InvocationID --value k3s')).stdout.trim()).not.toBe(k3sBefore); // restarted

    const again = await runbook('change-node-ip.yml');
    ok(again);
    expect(again.changed).toBe(0);
  }, 240_000);

  it('quorum guard: with h1 down, replacing the healthy h2 is refused with a clear message and nothing is changed', async () => {
    await labSsh(state, 'h1', 'systemctl stop etcd');
    const inventory = inventoryWithEtcd(['h1', 'h3', 'h4'], 'quorum.ini');
    const all = ['h1', 'h2', 'h3', 'h4'];
    const before = await hashes(all, CONFIG_PATHS);
    const members = await memberList('h2');
    const pkiBefore = pkiHash();
    const r = await runbook('replace-etcd-member.yml', { inventory, extra: ['old_member=h2', 'new_member=h4'] });
    expect(r.code).toBe(2);
    const failed = r.results.filter((x) => x.status === 'failed');
    expect(failed.map((x) => x.msg)).toEqual(['refusing replacing h2 by h4: stopping etcd on h2 would leave 1 of 3 voting members healthy; quorum needs 2 (a 3-member cluster tolerates 1 down). Already down: h1.']);
    expect(failed[0]?.hint).toMatch(/nothing was changed/);
    expect(r.changed).toBe(0);
    expect(await hashes(all, CONFIG_PATHS)).toEqual(before);
    expect(await memberList('h2')).toEqual(members);
    expect(pkiHash()).toBe(pkiBefore);
    await labSsh(state, 'h1', 'systemctl start etcd');
    for (let i = 0; i < 30 && (await healthyCount('h1')) < 3; i++) await new Promise((r) => setTimeout(r, 1000)); // wait-for-condition, bounded
    expect(await healthyCount('h1')).toBe(3);
  }, 120_000);

  it('replacement: h3 is destroyed; replace-etcd-member.yml with the fresh h4 restores a healthy 3-member cluster; the key survives; second run changed=0', async () => {
    await labSsh(state, 'h3', 'systemctl poweroff', 15_000);
    const inventory = inventoryWithEtcd(['h1', 'h2', 'h4'], 'replaced.ini');
    const extra = ['old_member=h3', 'new_member=h4'];
    const hosts = ['h1', 'h2', 'h4'];
    const before = await hashes(hosts, CONFIG_PATHS);
    const pkiBefore = pkiHash();
    const check = await runbook('replace-etcd-member.yml', { inventory, check: true, extra });
    ok(check);
    expect(await hashes(hosts, CONFIG_PATHS)).toEqual(before);
    expect(pkiHash()).toBe(pkiBefore);
    expect(summaries(check, 'h1')).toEqual(expect.arrayContaining([
      expect.stringMatching(/^remove the unhealthy member h3 \(id [0-9a-f]+\) first, then add h4 \(https:\/\/[\d.]+:2380\) as a learner \(non-voting until promoted\), replacing it$/),
      expect.stringMatching(/^remove member h3 \(id [0-9a-f]+, https:\/\/[\d.]+:2380, unhealthy\)$/),
    ]));

    const run = await runbook('replace-etcd-member.yml', { inventory, extra });
    ok(run);
    const ip = (n: number) => state.hosts[n]!.ip;
    expect(await memberList('h1')).toEqual([`started h1 https://${ip(0)}:2380`, `started h2 https://${ip(1)}:2380`, `started h4 https://${ip(3)}:2380`]);
    expect(await healthyCount('h4')).toBe(3);
    expect((await etcdctl('h4', 'get --print-value-only k3play-ip-change')).stdout.trim()).toBe('before');
    expect((await labSsh(state, 'h4', 'cat /etc/rancher/k3s/config.yaml')).stdout).toContain(`datastore-endpoint: https://${ip(0)}:2379,https://${ip(1)}:2379,https://${ip(3)}:2379\n`);

    const again = await runbook('replace-etcd-member.yml', { inventory, extra });
    ok(again);
    expect(again.changed).toBe(0);
  }, 240_000);

  it('no private key material in any output or in the run journal', () => {
    const keyLines = readdirSync(pkiDir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.key'))
      .flatMap((f) => readFileSync(path.join(pkiDir, f), 'utf8').split('\n'))
      .filter((l) => l.length >= 40 && !l.startsWith('-----'));
    expect(keyLines.length).toBeGreaterThan(8);
    const runs = path.join(work, '.k3play', 'runs');
    const journal = readdirSync(runs).map((f) => readFileSync(path.join(runs, f), 'utf8')).join('\n');
    expect(journal.length).toBeGreaterThan(1000);
    const all = `${outputs.join('\n')}\n${journal}`;
    for (const l of keyLines) expect(all.includes(l), 'a private key line leaked').toBe(false);
    expect(all).not.toMatch(/PRIVATE KEY/);
  });
});
