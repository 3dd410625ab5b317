/**
 * The API load balancer for real (issues 9 and 10): playbooks/tasks/api-load-balancer.yml on
 * the shared lab's LB pair (h1 MASTER, h2 BACKUP) in front of a TCP backend on h4 and h5. The VIP
 * answers on the frontend port through the MASTER's haproxy; stopping haproxy on the MASTER
 * makes keepalived's vrrp_script lower its priority (100 - 11 < 90), the VIP moves to the
 * BACKUP and answers through ITS haproxy within 5 s — measured from the moment `systemctl stop
 * haproxy` returned on h1 to the first answer via h2, and printed. Starting haproxy again
 * moves the VIP back (preemption). The defaults are the guide's: advert_int 1, weight -11.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedTasks, hashHostFiles, runOnLab } from './converge.js';
import { LB_TASKS, askTcp, readHostFile, resetLbHost, startTcpBackend, stopTcpBackend, vipHolders, waitForAnswer } from './lb-pair.js';
import { labHost } from './lab-run.js';
import { labSsh, sharedLabSkipReason, sharedLabState } from './shared-lab.js';

const FRONT = 17200;
const BACK = 7200;
const LB = ['h1', 'h2'];
const PASS = 'vrrp-Pw1';
/** The lab's agents group: the TCP backend runs on both. */
const BACKENDS = ['h4', 'h5'];

const playbook = `- name: API load balancer pair
  hosts: lb
  gather_facts: false
  tasks:
    - import_tasks: ${LB_TASKS}
      vars:
        lb_frontend_port: ${FRONT}
        lb_backend_group: agents
        lb_backend_port: ${BACK}
        lb_check_inter: 1s
`;

describe.skipIf(sharedLabSkipReason() !== null)('VIP failover: keepalived + haproxy pair', () => {
  const state = sharedLabSkipReason() === null ? sharedLabState() : undefined!;
  const vip = state?.apiVip;
  const ip = (h: string) => labHost(state, h).ip;
  const original = new Map<string, string | null>();
  const run = (opts: { check?: boolean; diff?: boolean } = {}) => runOnLab(state, playbook, { ...opts, extraVars: { keepalived_auth_pass: PASS, haproxy_stats_password: PASS } });
  const via = (h: string) => (a: string) => /^backend h[45] from /.test(a) && a.endsWith(` from ${ip(h)}`);

  beforeAll(async () => {
    for (const h of LB) original.set(h, await readHostFile(state, h, '/etc/haproxy/haproxy.cfg'));
    await Promise.all(LB.map((h) => resetLbHost(state, h, original.get(h) ?? null)));
    for (const h of BACKENDS) await startTcpBackend(state, h, BACK);
  });
  afterAll(async () => {
    await Promise.all(LB.map((h) => resetLbHost(state, h, original.get(h) ?? null)));
    for (const h of BACKENDS) await stopTcpBackend(state, h);
  });

  it('the pair converges: --check writes nothing, the run does what check said, then changed=0', async () => {
    const before = await Promise.all(LB.map((h) => hashHostFiles(state, h)));
    const check = await run({ check: true, diff: true });
    expect(check.failed, check.stderr + JSON.stringify(check.results.filter((r) => r.status === 'failed'))).toBe(0);
    expect(await Promise.all(LB.map((h) => hashHostFiles(state, h)))).toEqual(before);
    const first = await run();
    expect(first.failed, JSON.stringify(first.results.filter((r) => r.status === 'failed'))).toBe(0);
    expect(changedTasks(first)).toEqual(changedTasks(check));
    const again = await run();
    expect(again.changed).toBe(0);
    for (const r of [check, first, again]) for (const t of [r.stdout, r.stderr, r.journal]) expect(t).not.toContain(PASS);
  });

  it('the VIP answers through the MASTER; stopping its haproxy moves the VIP to the BACKUP within 5 s', async () => {
    const viaH1 = await waitForAnswer(vip, FRONT, via('h1'), { since: Date.now(), timeoutMs: 15_000 });
    expect(viaH1.answer, 'the VIP answers through h1 (MASTER)').toMatch(/^backend h[45] from /);
    expect(await vipHolders(state, LB, vip)).toEqual(['h1']);

    const stop = await labSsh(state, 'h1', 'systemctl stop haproxy');
    expect(stop.code).toBe(0);
    const stopped = Date.now();
    const moved = await waitForAnswer(vip, FRONT, via('h2'), { since: stopped, timeoutMs: 15_000 });
    console.log(`VIP failover (haproxy stopped on MASTER h1 -> VIP answers through BACKUP h2): ${moved.ms} ms, ${moved.attempts} probes`);
    expect(moved.answer).toMatch(/^backend h[45] from /);
    expect(moved.ms).toBeLessThan(5000);
    expect(await vipHolders(state, LB, vip)).toEqual(['h2']);
    const log = await labSsh(state, 'h2', 'journalctl -u keepalived --no-pager -n 20');
    expect(log.stdout).toMatch(/received lower priority \(89\) advert/);
    expect(log.stdout).toMatch(/Entering MASTER STATE/);

    await labSsh(state, 'h1', 'systemctl start haproxy');
    const back = await waitForAnswer(vip, FRONT, via('h1'), { since: Date.now(), timeoutMs: 20_000 });
    console.log(`VIP back on h1 after haproxy started again: ${back.ms} ms`);
    expect(back.answer).toMatch(/^backend h[45] from /);
    expect(via('h1')((await askTcp(vip, FRONT)) ?? '')).toBe(true);
    expect(await vipHolders(state, LB, vip)).toEqual(['h1']);
  }, 60_000);
});
