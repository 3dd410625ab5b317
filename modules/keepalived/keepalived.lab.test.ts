/**
 * keepalived on the shared lab's h1 (MASTER) and h2 (BACKUP): --check writes nothing, the run
 * changes what check predicted and the VIP lands on the MASTER, the second run is changed=0; a
 * config change is a reload (same MainPID, the VIP stays); a config keepalived -t rejects is
 * never installed; the VRRP password is in no output and no journal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedTasks, hashHostFiles, runOnLab, type LabRun } from '../../test/lab/converge.js';
import { readHostFile, resetLbHost, vipHolders } from '../../test/lab/lb-pair.js';
import { labSsh, sharedLabSkipReason, sharedLabState } from '../../test/lab/shared-lab.js';

const PASS = 'Kp4ss-7q';
const HOSTS = ['h1', 'h2'];

const playbook = (o: { backupPriority?: number; iface?: string } = {}) => `- hosts: h1:h2
  gather_facts: false
  tasks:
    - name: keepalived
      keepalived:
        auth_pass: "{{ vrrp_pass }}"
        scripts:
          - { name: check_sshd, script: /usr/bin/pgrep -x sshd, interval: 1, weight: -11, fall: 1, rise: 1 }
        instances:
          - name: VI_1
            state: "{{#if (eq inventory_hostname 'h1')}}MASTER{{else}}BACKUP{{/if}}"
            priority: "{{#if (eq inventory_hostname 'h1')}}100{{else}}${o.backupPriority ?? 90}{{/if}}"
            interface: "{{#if (eq inventory_hostname 'h1')}}${o.iface ?? 'eth0'}{{else}}eth0{{/if}}"
            virtual_router_id: 61
            virtual_ipaddress: ["{{ api_vip }}"]
            track_scripts: [check_sshd]
`;

async function waitForVip(state: ReturnType<typeof sharedLabState>, want: string, timeoutMs = 15_000): Promise<string[]> {
  const t0 = Date.now();
  for (;;) {
    const holders = await vipHolders(state, HOSTS, state.apiVip);
    if ((holders.length === 1 && holders[0] === want) || Date.now() - t0 > timeoutMs) return holders;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function expectNoSecret(runs: readonly LabRun[]): void {
  for (const r of runs) {
    expect(r.stdout).not.toContain(PASS);
    expect(r.stderr).not.toContain(PASS);
    expect(r.journal.length).toBeGreaterThan(0);
    expect(r.journal).not.toContain(PASS);
  }
}

describe.skipIf(sharedLabSkipReason() !== null)('keepalived on lab hosts', () => {
  const state = sharedLabSkipReason() === null ? sharedLabState() : undefined!;
  const haproxyCfg = new Map<string, string | null>();
  const runs: LabRun[] = [];
  const run = async (pb: string, opts: Parameters<typeof runOnLab>[2] = {}): Promise<LabRun> => {
    const r = await runOnLab(state, pb, { ...opts, extraVars: { vrrp_pass: PASS } });
    runs.push(r);
    return r;
  };
  beforeAll(async () => {
    for (const h of HOSTS) haproxyCfg.set(h, await readHostFile(state, h, '/etc/haproxy/haproxy.cfg'));
    await Promise.all(HOSTS.map((h) => resetLbHost(state, h, haproxyCfg.get(h) ?? null)));
  });
  afterAll(async () => {
    await Promise.all(HOSTS.map((h) => resetLbHost(state, h, haproxyCfg.get(h) ?? null)));
  });

  it('check, apply, converge; the VIP is on the MASTER', async () => {
    const before = await Promise.all(HOSTS.map((h) => hashHostFiles(state, h)));
    const check = await run(playbook(), { check: true, diff: true });
    expect(check.failed, check.stderr).toBe(0);
    expect(changedTasks(check)).toEqual(['h1/keepalived', 'h2/keepalived']);
    expect(await Promise.all(HOSTS.map((h) => hashHostFiles(state, h)))).toEqual(before);
    const diff = check.results.find((r) => r.host === 'h1')!.changes.find((c) => c.diff)!.diff!;
    expect(diff.after).toContain('        auth_pass ********\n');
    expect(diff.after).toContain('    state MASTER\n');

    const first = await run(playbook(), { diff: true });
    expect(first.failed, first.stderr).toBe(0);
    expect(changedTasks(first)).toEqual(changedTasks(check));
    expect(first.results.find((r) => r.host === 'h2')!.changes.map((c) => c.summary)).toEqual([
      'create /etc/keepalived/keepalived.conf (checked with keepalived)',
      'enable keepalived.service',
      'start keepalived.service',
    ]);
    const on = await labSsh(state, 'h1', 'stat -c %a /etc/keepalived/keepalived.conf; systemctl is-active keepalived; systemctl is-enabled keepalived');
    expect(on.stdout).toBe('600\nactive\nenabled\n');
    expect(await waitForVip(state, 'h1')).toEqual(['h1']);

    const second = await run(playbook());
    expect(second.failed).toBe(0);
    expect(second.changed).toBe(0);
  });

  it('a config change reloads keepalived (same process, the VIP stays put)', async () => {
    const pid = async () => (await labSsh(state, 'h2', 'systemctl show -p MainPID --value keepalived')).stdout.trim();
    const before = await pid();
    const r = await run(playbook({ backupPriority: 95 }), { diff: true });
    expect(r.failed, r.stderr).toBe(0);
    expect(changedTasks(r)).toEqual(['h2/keepalived']);
    expect(r.results.find((x) => x.host === 'h2')!.changes.map((c) => c.summary)).toEqual([
      'update /etc/keepalived/keepalived.conf (checked with keepalived)',
      'reload keepalived.service (config changed)',
    ]);
    expect(await pid()).toBe(before);
    expect((await labSsh(state, 'h2', 'grep priority /etc/keepalived/keepalived.conf')).stdout).toBe('    priority 95\n');
    expect(await waitForVip(state, 'h1', 3000)).toEqual(['h1']);
    expect((await run(playbook({ backupPriority: 95 }))).changed).toBe(0);
  });

  it('a config that keepalived -t rejects is never installed', async () => {
    const file = '/etc/keepalived/keepalived.conf';
    const before = await labSsh(state, 'h1', `sha256sum ${file}; ls /etc/keepalived`);
    const r = await run(playbook({ backupPriority: 95, iface: 'eth9' }), { limit: 'h1' });
    expect(r.failed).toBe(1);
    const res = r.results.find((x) => x.status === 'failed')!;
    expect(res.msg).toMatch(/validation failed \(keepalived -t -f %s\) for \/etc\/keepalived\/keepalived.conf: .*interface eth9/s);
    expect((await labSsh(state, 'h1', `sha256sum ${file}; ls /etc/keepalived`)).stdout).toBe(before.stdout);
    expect(await waitForVip(state, 'h1', 3000)).toEqual(['h1']);
  });

  it('the VRRP password appears in no output and no journal', () => {
    expect(runs.length).toBeGreaterThanOrEqual(5);
    expectNoSecret(runs);
  });
});
