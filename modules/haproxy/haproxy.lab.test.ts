/**
 * haproxy on the shared lab's h1: --check writes nothing, the run changes what check predicted
 * and haproxy forwards to the servers of an inventory group, the second run is changed=0; a
 * backend change is a reload (the master process stays), a config `haproxy -c` rejects is never
 * installed; the stats page asks for the password, which appears in no output and no journal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedTasks, hashHostFiles, runOnLab, type LabRun } from '../../test/lab/converge.js';
import { askTcp, readHostFile, resetLbHost, startTcpBackend, stopTcpBackend } from '../../test/lab/lb-pair.js';
import { labSsh, sharedLabSkipReason, sharedLabState } from '../../test/lab/shared-lab.js';

const PASS = 'st4ts-Pw-91';
const FRONT = 17100;
const BACK = 7100;

const playbook = (o: { group?: string; extra?: string } = {}) => `- hosts: h1
  gather_facts: false
  tasks:
    - name: haproxy
      haproxy:
        global: { lines: [${o.extra ? JSON.stringify(o.extra) : ''}] }
        frontends:
          - { name: test-api, bind: "*:${FRONT}", default_backend: test-api }
        backends:
          - name: test-api
            check: { inter: 1s, fall: 2, rise: 1 }
            servers: |
              {{#each (group "${o.group ?? 'servers'}")}}{{this}} {{hostvars this "ansible_host"}}:${BACK}
              {{/each}}
        stats: { bind: "*:1080" }
        stats_password: "{{ stats_pass }}"
`;

describe.skipIf(sharedLabSkipReason() !== null)('haproxy on lab hosts', () => {
  const state = sharedLabSkipReason() === null ? sharedLabState() : undefined!;
  const h1 = state?.hosts.find((h) => h.name === 'h1');
  let original: string | null = null;
  const runs: LabRun[] = [];
  const run = async (pb: string, opts: Parameters<typeof runOnLab>[2] = {}): Promise<LabRun> => {
    const r = await runOnLab(state, pb, { ...opts, extraVars: { stats_pass: PASS } });
    runs.push(r);
    return r;
  };
  beforeAll(async () => {
    original = await readHostFile(state, 'h1', '/etc/haproxy/haproxy.cfg');
    await resetLbHost(state, 'h1', original);
    for (const h of ['h2', 'h3']) await startTcpBackend(state, h, BACK);
  });
  afterAll(async () => {
    await resetLbHost(state, 'h1', original);
    for (const h of ['h2', 'h3']) await stopTcpBackend(state, h);
  });

  it('check, apply, converge; the frontend forwards to the group\'s servers', async () => {
    const before = await hashHostFiles(state, 'h1');
    const check = await run(playbook(), { check: true, diff: true });
    expect(check.failed, check.stderr).toBe(0);
    expect(changedTasks(check)).toEqual(['h1/haproxy']);
    expect(await hashHostFiles(state, 'h1')).toBe(before);
    const diff = check.results[0]!.changes.find((c) => c.diff)!.diff!;
    expect(diff.before).toMatch(/^global\n\tlog \/dev\/log/);
    expect(diff.after).toContain('    stats auth admin:********\n');
    expect(diff.after).toContain('    server h2 ');

    const first = await run(playbook());
    expect(first.failed, first.stderr).toBe(0);
    expect(changedTasks(first)).toEqual(changedTasks(check));
    expect(first.results[0]!.changes.map((c) => c.summary)).toEqual([
      'update /etc/haproxy/haproxy.cfg (checked with haproxy)',
      'enable haproxy.service',
      'start haproxy.service',
    ]);
    // h1 itself has no backend: the check marks it down, round robin over h2 and h3 remains.
    const seen = new Set<string>();
    for (let i = 0; i < 40 && seen.size < 2; i++) {
      const a = await askTcp(h1!.ip, FRONT, 1000);
      if (a !== null) seen.add(a.split(' ')[1]!);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect([...seen].sort()).toEqual(['h2', 'h3']);
    const stats = await labSsh(state, 'h1', `curl -s -o /dev/null -w '%{http_code} ' 'http://127.0.0.1:1080/admin?stats'; curl -s -u admin:${PASS} 'http://127.0.0.1:1080/admin?stats;csv' | grep -c '^test-api,'`);
    expect(stats.stdout.trim()).toBe('401 5');

    const second = await run(playbook());
    expect(second.failed).toBe(0);
    expect(second.changed).toBe(0);
  });

  it('a backend change reloads haproxy: the master process stays', async () => {
    const pid = async () => (await labSsh(state, 'h1', 'systemctl show -p MainPID --value haproxy')).stdout.trim();
    const before = await pid();
    const r = await run(playbook({ group: 'lb' }), { diff: true });
    expect(r.failed, r.stderr).toBe(0);
    expect(r.results[0]!.changes.map((c) => c.summary)).toEqual(['update /etc/haproxy/haproxy.cfg (checked with haproxy)', 'reload haproxy.service (config changed)']);
    const d = r.results[0]!.changes[0]!.diff!;
    expect(d.before).toContain('    server h3 ');
    expect(d.after).not.toContain('    server h3 ');
    expect(await pid()).toBe(before);
    expect((await run(playbook({ group: 'lb' }))).changed).toBe(0);
  });

  it('a config haproxy -c rejects is never installed', async () => {
    const before = await labSsh(state, 'h1', 'sha256sum /etc/haproxy/haproxy.cfg; ls /etc/haproxy');
    const r = await run(playbook({ group: 'lb', extra: 'no-such-directive 1' }));
    expect(r.failed).toBe(1);
    expect(r.results[0]!.msg).toMatch(/validation failed \(haproxy -c -f %s\) for \/etc\/haproxy\/haproxy.cfg: .*no-such-directive/s);
    expect((await labSsh(state, 'h1', 'sha256sum /etc/haproxy/haproxy.cfg; ls /etc/haproxy; systemctl is-active haproxy')).stdout).toBe(`${before.stdout}active\n`);
  });

  it('the stats password appears in no output and no journal', () => {
    expect(runs.length).toBeGreaterThanOrEqual(6);
    for (const r of runs) {
      for (const text of [r.stdout, r.stderr, r.journal]) expect(text).not.toContain(PASS);
    }
  });
});
