/**
 * HA Kubernetes with kubeadm on its own 5-host lab (`--topology kubeadm`): playbooks/kubeadm-ha.yml
 * with inventories/examples/kubeadm-site.ini as is (plus the lab's inventory for the connection
 * settings; a copy with the addresses rewritten when this lab did not get 10.231.0.0/16).
 * kubeadm, kubelet and kubectl are the TEST DOUBLES (test/doubles/kubeadm), installed as .deb
 * packages from a local signed apt repository on the bridge, pinned and held for real;
 * keepalived, haproxy, apt and systemd are real.
 *
 * One lab for the whole file; the tests build on each other in order: --check on the fresh
 * lab, the real run and a converged second run, the VIP through haproxy and its failover, a
 * control-plane join 3 h after init and a worker join 25 h after (simulated clock),
 * remove-node.yml, replace-control-plane.yml with the control planes polled during the run, and
 * no secret in any output, journal or process argument. afterAll tears the lab down.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labCacheRoot } from '../../src/lab/base-image.js';
import { labDown, labUp, type LabState } from '../../src/lab/lab.js';
import { KUBE_DOUBLE_DEPENDS, kubeDoubleDebs } from '../doubles/kubeadm/kube-debs.js';
import { repoRoot } from '../e2e/cli.js';
import { buildAptRepo, type AptTestRepo } from '../repos/apt-repo.js';
import { downloadDebsFor } from '../repos/debian-debs.js';
import { changedTasks, hashHostFiles } from './converge.js';
import { exampleSiteFor } from './example-inventory.js';
import { vipHolders } from './lb-pair.js';
import { labSkipReason } from './lab-guard.js';
import { recapSummary, runRepoPlaybook, type CliRun } from './lab-run.js';
import { testLabName } from './shared-lab-config.js';
import { labSsh } from './shared-lab.js';

const NAME = testLabName('kubeadm');
const SITE = path.join(repoRoot, 'playbooks', 'kubeadm-ha.yml');
const RUNBOOKS = path.join(repoRoot, 'playbooks', 'runbooks');
const SERVERS = ['h1', 'h2', 'h3'];
const ALL = ['h1', 'h2', 'h3', 'h4', 'h5'];
const PORT = 16443;

const failures = (r: CliRun) => r.results.filter((x) => x.status === 'failed').map((x) => `${x.host}/${x.task}: ${x.msg ?? ''} ${x.stderr ?? ''}`);
const ok = (r: CliRun) => expect([r.code, failures(r)], `${JSON.stringify(recapSummary(r))}\n${r.stderr.slice(-3000)}`).toEqual([0, []]);

interface DoubleEvent {
  readonly ts: number;
  readonly event: string;
  readonly by: string;
  readonly [k: string]: unknown;
}
interface ClusterState {
  nodes: Record<string, { role: string; deleted?: boolean }>;
  events: Record<string, DoubleEvent>;
}

/** GET http://ip:port/healthz (the double's API server, plain HTTP) -> true when it answers ok. */
async function healthy(ip: string, port: number, timeoutMs = 400): Promise<boolean> {
  try {
    const r = await fetch(`http://${ip}:${port}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    return r.ok && (await r.text()) === 'ok';
  } catch {
    return false;
  }
}

describe.skipIf(labSkipReason() !== null)('kubeadm HA: playbooks/kubeadm-ha.yml with the example inventory', () => {
  const stateDir = path.join(tmpdir(), `k3play-acc-${NAME}`);
  let state: LabState;
  let repo: AptTestRepo;
  let work: string;
  let inventories: string[];
  let vip: string;
  let common: string[];
  let outputs = '';
  const ip = (h: string) => state.hosts.find((x) => x.name === h)!.ip;
  const run = async (playbook: string, args: string[] = []): Promise<CliRun> => {
    const r = await runRepoPlaybook(playbook, inventories, [...common, ...args]);
    outputs += r.stdout + r.stderr + r.journal;
    if (r.code !== 0) await diagnose();
    return r;
  };
  /** What a failed run leaves to look at: the LB, the kubelet doubles, the API ports. */
  const diagnose = async (): Promise<void> => {
    for (const h of SERVERS) {
      const d = await labSsh(state, h, `ip -4 -o addr show dev eth0; ss -ltn | grep -E ':(6443|16443|1080) '; systemctl is-active kubelet haproxy keepalived; journalctl --no-pager -o cat -u kubelet -u haproxy -u keepalived | tail -n 15; curl -s -m 2 http://127.0.0.1:6443/healthz; echo; curl -s -m 2 http://${vip}:${PORT}/healthz`, 30_000);
      console.log(`--- ${h} ---\n${d.stdout}${d.stderr}`);
    }
  };
  const sh = async (host: string, cmd: string): Promise<string> => {
    const r = await labSsh(state, host, cmd, 120_000);
    expect(r.code, `${host}: ${cmd}: ${r.stderr}`).toBe(0);
    return r.stdout.trim();
  };
  const cluster = async (host = 'h1'): Promise<ClusterState> => JSON.parse(await sh(host, 'cat /var/lib/k3play-kube-double/cluster.json')) as ClusterState;
  const eventsSince = async (t0: number, host = 'h1'): Promise<DoubleEvent[]> =>
    Object.values((await cluster(host)).events)
      .filter((e) => e.ts >= t0)
      .sort((a, b) => a.ts - b.ts);
  const setClock = (seconds: number) => Promise.all(ALL.map((h) => sh(h, `mkdir -p /etc/k3play-double && echo ${seconds} > /etc/k3play-double/clock-offset`)));
  const nodes = async () => (await sh('h1', 'kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o name')).split('\n');

  beforeAll(async () => {
    state = await labUp({ name: NAME, full: 5, light: 0, topology: 'kubeadm', stateDir, log: () => undefined });
    work = await mkdtemp(path.join(tmpdir(), 'k3p-kubeadm-'));
    // python3-yaml (the doubles need it) from Debian's archive, cached between runs; the doubles as .debs.
    const debs = await downloadDebsFor(state.baseDir, [...KUBE_DOUBLE_DEPENDS], path.join(labCacheRoot(), 'debs', 'kube-double-deps'));
    repo = await buildAptRepo(state.bridgeIp, kubeDoubleDebs(), debs);
    await writeFile(path.join(work, 'repo.yml'), `kube_apt_repo: "${repo.debLine}"\nkube_apt_key: |\n${repo.keyArmored.replace(/^/gm, '  ')}\n`);
    inventories = [await exampleSiteFor(state, work, 'kubeadm-site.ini'), state.inventoryFile];
    vip = state.apiVip;
    common = ['-e', `@${path.join(work, 'repo.yml')}`];
  }, 300_000);

  afterAll(async () => {
    await labDown({ name: NAME, stateDir }).catch((e: unknown) => console.error(`labDown ${NAME} failed: ${String(e)}`));
    await repo?.close();
    if (work) await rm(work, { recursive: true, force: true });
    await rm(stateDir, { recursive: true, force: true });
  });

  it('--check --diff on the fresh lab shows what it would do and writes nothing', async () => {
    const before = await Promise.all(ALL.map((h) => hashHostFiles(state, h)));
    const r = await run(SITE, ['--check', '--diff']);
    ok(r);
    expect(await Promise.all(ALL.map((h) => hashHostFiles(state, h)))).toEqual(before);
    const diffsOf = (h: string) => r.results.filter((x) => x.host === h).flatMap((x) => x.changes.map((c) => c.diff?.path).filter(Boolean));
    expect(diffsOf('h1')).toEqual(expect.arrayContaining(['/etc/haproxy/haproxy.cfg', '/etc/keepalived/keepalived.conf', '/etc/kubernetes/k3play/kubeadm-config.yaml']));
    const init = r.results.find((x) => x.task === 'kubeadm init' && x.host === 'h1');
    expect(init?.changes.map((c) => c.summary).join()).toMatch(new RegExp(`^kubeadm init \\(controlPlaneEndpoint ${vip.replaceAll('.', '\\.')}:16443, Kubernetes v1\\.28\\.4, --upload-certs\\)`));
  }, 240_000);

  it('the real run: packages pinned and held, kubeadm init on h1, h2 then h3 join as control planes, h4 h5 as workers, flannel; the second run changes nothing', async () => {
    const t0 = Date.now() / 1000;
    const r = await run(SITE, ['--diff']);
    ok(r);
    console.log(`kubeadm-ha.yml first run: ${r.wallMs} ms`);
    for (const h of ALL) {
      expect(await sh(h, "dpkg-query -W -f '${Package}=${Version}\\n' kubeadm kubelet kubectl")).toBe('kubeadm=1.28.4-1.1\nkubectl=1.28.4-1.1\nkubelet=1.28.4-1.1');
      expect((await sh(h, 'apt-mark showhold')).split('\n').sort()).toEqual(['kubeadm', 'kubectl', 'kubelet']);
    }
    const ev = await eventsSince(t0);
    const init = ev.find((e) => e.event === 'init')!;
    expect([init.by, init['endpoint'], init['pod_subnet'], init['upload_certs'], init['cgroup_driver']]).toEqual(['h1', `${vip}:${PORT}`, '10.244.0.0/16', true, 'systemd']);
    // The CA pin every node joined with = sha256 of h1's CA public key (DER SPKI), computed here independently.
    const ca = new X509Certificate(await sh('h1', 'cat /etc/kubernetes/pki/ca.crt'));
    const pin = `sha256:${createHash('sha256').update(ca.publicKey.export({ type: 'spki', format: 'der' })).digest('hex')}`;
    const tokenId = (await sh('h1', 'cut -c1-6 /etc/kubernetes/k3play/token')).trim();
    const joins = ev.filter((e) => e.event === 'joined').map((e) => [e['node'], e['role'], e['via'], e['token_id'], e['ca_hash'], e['cert_key_sha'] ?? null]);
    expect(joins.slice(0, 2)).toEqual([
      ['h2', 'control-plane', `${vip}:${PORT}`, tokenId, pin, init['cert_key_sha']],
      ['h3', 'control-plane', `${vip}:${PORT}`, tokenId, pin, init['cert_key_sha']],
    ]);
    expect(joins.slice(2).sort()).toEqual([
      ['h4', 'worker', `${vip}:${PORT}`, tokenId, pin, null],
      ['h5', 'worker', `${vip}:${PORT}`, tokenId, pin, null],
    ]);
    expect(await nodes()).toEqual(ALL.map((h) => `node/${h}`));
    expect(ev.filter((e) => e.event === 'apply').length).toBe(1);
    expect(await sh('h1', 'stat -c %a /etc/kubernetes/k3play /etc/kubernetes/k3play/token /etc/kubernetes/k3play/certificate-key /etc/kubernetes/k3play/kubeadm-config.yaml')).toBe('700\n600\n600\n600');
    expect(await vipHolders(state, ['h1', 'h2'], vip)).toEqual(['h1']);

    const again = await run(SITE);
    ok(again);
    expect(again.changed, JSON.stringify(changedTasks(again))).toBe(0);
    console.log(`kubeadm-ha.yml converged run: ${again.wallMs} ms`);

    // kubectl_apply under --check --diff: the object diff kubectl diff reports, nothing applied.
    // (the doubles' own argv record under /var/lib/k3play-kube-double grows with every call: not hashed)
    const hashed = ['/etc', '/usr/local', '/var/lib/kubelet', '/var/lib/dpkg'];
    const before = await hashHostFiles(state, 'h1', hashed);
    const check = await run(SITE, ['--check', '--diff', '-e', 'flannel_backend=host-gw']);
    ok(check);
    const cni = check.results.find((x) => x.task === 'flannel' && x.host === 'h1')!;
    expect(cni.changes.map((c) => c.summary)).toEqual(['update v1.ConfigMap.kube-flannel.kube-flannel-cfg (server-side apply)']);
    expect(cni.changes[0]!.diff?.before).toContain('"Type": "vxlan"');
    expect(cni.changes[0]!.diff?.after).toContain('"Type": "host-gw"');
    expect(await hashHostFiles(state, 'h1', hashed)).toBe(before);
    expect((await eventsSince(t0)).filter((e) => e.event === 'apply').length).toBe(1);
  }, 300_000);

  it('the VIP answers on 16443 through haproxy; stopping haproxy on the MASTER moves the VIP within 5 s', async () => {
    expect(await healthy(vip, PORT)).toBe(true);
    // haproxy's view of the control planes (a backend is UP after 2 passed checks, 2 s apart)
    const backends = async () =>
      (await sh('h1', `curl -s 'http://127.0.0.1:1080/admin?stats;csv'`))
        .split('\n')
        .filter((l) => l.startsWith('kubernetes-apiserver,h'))
        .map((l) => `${l.split(',').slice(0, 2).join(',')}:${l.split(',')[17]}`);
    for (let i = 0; i < 40 && (await backends()).some((b) => !b.endsWith(':UP')); i++) await new Promise((r) => setTimeout(r, 250));
    expect(await backends()).toEqual([
      'kubernetes-apiserver,h1:UP',
      'kubernetes-apiserver,h2:UP',
      'kubernetes-apiserver,h3:UP',
    ]);
    // Measured on the hosts (one kernel clock), not through ssh round trips from a loaded
    // controller: a watcher on h2 stamps the moment the VIP appears there, h1 stamps the moment
    // `systemctl stop haproxy` has returned.
    await sh('h2', `rm -f /run/k3play-vip-moved; systemd-run --unit=k3play-vipwatch --collect sh -c 'i=0; while ! ip -4 -o addr show dev eth0 | grep -q " ${vip}/"; do i=$((i+1)); [ $i -lt 1500 ] || exit 1; sleep 0.01; done; date +%s%N > /run/k3play-vip-moved' >/dev/null`);
    const stoppedNs = BigInt(await sh('h1', 'systemctl stop haproxy && date +%s%N'));
    let movedNs: bigint | null = null;
    for (let i = 0; i < 150 && movedNs === null; i++) {
      const m = await labSsh(state, 'h2', 'cat /run/k3play-vip-moved 2>/dev/null');
      if (m.stdout.trim()) movedNs = BigInt(m.stdout.trim());
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(movedNs, 'the VIP did not move to h2 within 15 s').not.toBeNull();
    const moved = Number((movedNs! - stoppedNs) / 1_000_000n);
    console.log(`VIP moved from h1 to h2 ${moved} ms after haproxy stopped on h1 (vrrp_script weight -11: priority 100 -> 89 < 90; measured on the hosts)`);
    expect(await vipHolders(state, ['h1', 'h2'], vip)).toEqual(['h2']);
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThan(5000);
    expect(await healthy(vip, PORT, 1000)).toBe(true);
    await sh('h1', 'systemctl start haproxy');
    for (let i = 0; i < 100 && (await vipHolders(state, ['h1', 'h2'], vip)).join() !== 'h1'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await vipHolders(state, ['h1', 'h2'], vip)).toEqual(['h1']);
  }, 120_000);

  it('3 h after init (uploaded certificates expired, token valid) a control plane still joins: the certificates are uploaded again', async () => {
    await setClock(3 * 3600);
    await sh('h3', 'kubeadm reset -f >/dev/null');
    await sh('h1', 'kubectl --kubeconfig /etc/kubernetes/admin.conf delete node h3');
    const t0 = Date.now() / 1000;
    const r = await run(SITE);
    ok(r);
    const init = r.results.find((x) => x.task === 'kubeadm init' && x.host === 'h1')!;
    expect(init.changes.map((c) => c.summary)).toEqual([expect.stringMatching(/^upload the control-plane certificates again .*: the uploaded certificates have expired$/)]);
    const ev = await eventsSince(t0);
    expect(ev.filter((e) => e.event === 'token_create')).toEqual([]);
    const upload = ev.find((e) => e.event === 'upload_certs')!;
    const join = ev.find((e) => e.event === 'joined')!;
    expect([join['node'], join['role'], join['cert_key_sha']]).toEqual(['h3', 'control-plane', upload['cert_key_sha']]);
    expect(await nodes()).toEqual(ALL.map((h) => `node/${h}`));
  }, 240_000);

  it('remove-node.yml removes a worker cleanly (drain, kubeadm reset, CNI dirs, delete node); a second run changes nothing', async () => {
    await sh('h5', 'mkdir -p /etc/cni/net.d /var/lib/cni && touch /etc/cni/net.d/10-flannel.conflist');
    const r = await run(path.join(RUNBOOKS, 'remove-node.yml'), ['-e', 'node=h5']);
    ok(r);
    expect(await nodes()).toEqual(['h1', 'h2', 'h3', 'h4'].map((h) => `node/${h}`));
    expect(await sh('h5', 'for p in /etc/kubernetes/kubelet.conf /etc/kubernetes/pki/ca.crt /etc/cni/net.d /var/lib/cni /etc/kubernetes/k3play; do [ -e $p ] && echo $p; done; systemctl is-active kubelet || true')).toBe('inactive');
    const again = await run(path.join(RUNBOOKS, 'remove-node.yml'), ['-e', 'node=h5']);
    ok(again);
    expect(again.changed, JSON.stringify(changedTasks(again))).toBe(0);
  }, 240_000);

  it('25 h after init (token expired) the worker joins again: a new token is created first', async () => {
    await setClock(25 * 3600);
    const t0 = Date.now() / 1000;
    const r = await run(SITE);
    ok(r);
    const ev = await eventsSince(t0);
    const created = ev.filter((e) => e.event === 'token_create');
    expect(created.length).toBe(1);
    const join = ev.find((e) => e.event === 'joined')!;
    expect([join['node'], join['role'], join['token_id']]).toEqual(['h5', 'worker', created[0]!['token_id']]);
    expect(await nodes()).toEqual(ALL.map((h) => `node/${h}`));
  }, 240_000);

  it('replace-control-plane.yml rebuilds h3 with 2 of 3 control planes up at every moment (polled during the run)', async () => {
    const samples: { t: number; up: string[] }[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const up = (await Promise.all(SERVERS.map(async (h) => ((await healthy(ip(h), 6443, 300)) ? h : null)))).filter((h): h is string => h !== null);
        samples.push({ t: Date.now(), up });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const t0 = Date.now() / 1000;
    const r = await run(path.join(RUNBOOKS, 'replace-control-plane.yml'), ['-e', 'old_control_plane=h3']);
    polling = false;
    await poller;
    ok(r);
    const min = Math.min(...samples.map((s) => s.up.length));
    const h3Down = samples.filter((s) => !s.up.includes('h3')).length;
    console.log(`replace-control-plane: ${samples.length} samples, min control planes up ${min}, h3 down in ${h3Down} samples, ${r.wallMs} ms`);
    expect(min).toBeGreaterThanOrEqual(2);
    expect(h3Down).toBeGreaterThan(0); // it really was rebuilt
    expect(samples.at(-1)!.up).toEqual(SERVERS);
    const ev = await eventsSince(t0, 'h2');
    expect(ev.map((e) => e.event).filter((e) => ['node_deleted', 'upload_certs', 'joined'].includes(e))).toEqual(['node_deleted', 'upload_certs', 'joined']);
    expect(await nodes()).toEqual(ALL.map((h) => `node/${h}`));
    const again = await run(SITE);
    ok(again);
    expect(again.changed, JSON.stringify(changedTasks(again))).toBe(0);
  }, 300_000);

  it('no token, certificate key or admin credential in any output, journal or process argument', async () => {
    const secrets = [
      await sh('h1', 'cat /etc/kubernetes/k3play/token'),
      await sh('h1', 'cat /etc/kubernetes/k3play/certificate-key'),
      await sh('h1', "sed -n 's/^ *token: //p' /etc/kubernetes/admin.conf"),
    ];
    for (const s of secrets) expect(s.length).toBeGreaterThan(20);
    const journals = (await Promise.all(ALL.map((h) => sh(h, 'journalctl --no-pager -o cat 2>/dev/null | tail -n 20000; cat /var/lib/k3play-kube-double/argv.jsonl')))).join('\n');
    for (const s of secrets) {
      expect(outputs.includes(s), 'a secret in k3play output').toBe(false);
      expect(journals.includes(s), 'a secret in a journal or process argument').toBe(false);
      expect(outputs.includes(s.split('.')[1] ?? s), 'a token secret half in k3play output').toBe(false);
    }
  }, 120_000);
});
