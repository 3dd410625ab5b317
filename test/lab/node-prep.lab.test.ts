/**
 * playbooks/node-prep.yml on the shared lab's full hosts (issue: node preparation):
 * --check first writes nothing and predicts the run; the run changes; the second run is
 * changed=0; then drift (a managed file edited, a unit stopped, swap re-enabled in fstab) is
 * repaired by the next run, which reports exactly those changes with diffs.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashHostFiles, runOnLab, type LabRun } from './converge.js';
import { labSsh, sharedLabSkipReason, sharedLabState } from './shared-lab.js';
import { repoRoot } from '../e2e/cli.js';

const HOSTS = 'lab_full';

/** node-prep.yml plus a unit, so drift can include "a unit stopped". */
async function sitePlaybook(): Promise<string> {
  const prep = await readFile(path.join(repoRoot, 'playbooks', 'node-prep.yml'), 'utf8');
  return `${prep}
- name: a node service (drift test)
  hosts: ${HOSTS}
  gather_facts: false
  tasks:
    - name: node heartbeat unit
      systemd_unit:
        name: k3play-heartbeat.service
        content: |
          [Unit]
          Description=k3play test heartbeat
          [Service]
          ExecStart=/bin/sleep infinity
          [Install]
          WantedBy=multi-user.target
        enabled: true
        state: started
`;
}

const changedTasks = (r: LabRun) => [...new Set(r.results.filter((x) => x.status === 'changed').map((x) => `${x.task}@${x.host}`))].sort();

describe.skipIf(sharedLabSkipReason() !== null)('node-prep.yml on lab hosts', () => {
  const state = sharedLabState();
  afterAll(async () => {
    // Leave the shared hosts as other tests expect them: no managed block, unit gone.
    for (const h of state.hosts.filter((x) => x.kind === 'full')) {
      await labSsh(
        state,
        h.name,
        'systemctl disable --now k3play-heartbeat.service >/dev/null 2>&1; rm -f /etc/systemd/system/k3play-heartbeat.service; systemctl daemon-reload; ' +
          "sed -i '/K3PLAY MANAGED HOSTS/,/K3PLAY MANAGED HOSTS/d' /etc/hosts; sed -i 's/^# k3play swapoff: //' /etc/fstab; " +
          'rm -f /etc/sysctl.d/99-kubernetes.conf /etc/modules-load.d/overlay.conf /etc/modules-load.d/br_netfilter.conf /etc/containerd/config.toml',
      );
    }
  });

  let checkRun: LabRun;
  it('--check writes nothing and reports what the run will change', async () => {
    const pb = await sitePlaybook();
    const before = await hashHostFiles(state, 'h1');
    checkRun = await runOnLab(state, pb, { check: true, diff: true, limit: HOSTS });
    expect(checkRun.stderr).toBe('');
    expect(checkRun.failed).toBe(0);
    expect(checkRun.changed).toBeGreaterThan(0);
    expect(await hashHostFiles(state, 'h1')).toBe(before);
    const diffs = checkRun.results.flatMap((r) => r.changes.filter((c) => c.diff));
    expect(diffs.some((c) => c.diff!.path === '/etc/hosts')).toBe(true);
  });

  it('the run changes exactly what --check predicted; the second run is changed=0', async () => {
    const pb = await sitePlaybook();
    const first = await runOnLab(state, pb, { limit: HOSTS });
    expect(first.failed).toBe(0);
    const predicted = changedTasks(checkRun);
    for (const t of predicted) expect(changedTasks(first)).toContain(t);
    const second = await runOnLab(state, pb, { limit: HOSTS });
    expect(second.code).toBe(0);
    expect(second.changed).toBe(0);
    const hosts = await labSsh(state, 'h1', 'grep -c K3PLAY /etc/hosts; cat /proc/sys/net/ipv4/ip_forward; systemctl is-active k3play-heartbeat');
    expect(hosts.stdout.split('\n').slice(0, 3)).toEqual(['2', '1', 'active']);
  });

  it('drift is repaired, and only the drift is reported, with diffs', async () => {
    await labSsh(
      state,
      'h2',
      "sed -i 's/SystemdCgroup = true/SystemdCgroup = false/' /etc/containerd/config.toml; systemctl stop k3play-heartbeat; echo '/swapfile none swap sw 0 0' >> /etc/fstab",
    );
    const pb = await sitePlaybook();
    const r = await runOnLab(state, pb, { limit: HOSTS, diff: true });
    expect(r.failed).toBe(0);
    expect(changedTasks(r)).toEqual(
      ['containerd uses the systemd cgroup driver, like the kubelet@h2', 'node heartbeat unit@h2', 'swap off, now and in /etc/fstab@h2'].sort(),
    );
    const cfg = r.results.find((x) => x.host === 'h2' && x.task.startsWith('containerd'))!;
    expect(cfg.changes[0]!.diff!.before).toMatch(/SystemdCgroup = false/);
    expect(cfg.changes[0]!.diff!.after).toMatch(/SystemdCgroup = true/);
    const fstab = r.results.find((x) => x.host === 'h2' && x.task.startsWith('swap off'))!;
    expect(fstab.changes.some((c) => c.diff?.after?.includes('# k3play swapoff: /swapfile'))).toBe(true);
    const again = await runOnLab(state, pb, { limit: HOSTS });
    expect(again.changed).toBe(0);
  });
});
