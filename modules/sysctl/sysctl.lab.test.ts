import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedLabSkipReason, sharedLabState, labSsh } from '../../test/lab/shared-lab.js';
import { runOnLab, hashHostFiles, type LabRun } from '../../test/lab/converge.js';

const FILE = '/etc/sysctl.d/99-k3play-labtest-sysctl.conf';
const playbook = `- hosts: h1
  gather_facts: false
  tasks:
    - name: forward
      sysctl: { name: net.ipv4.ip_forward, value: "1", sysctl_file: ${FILE} }
    - name: port range (multi-value, tab at runtime)
      sysctl: { name: net.ipv4.ip_local_port_range, value: "32768 60999", sysctl_file: ${FILE} }
    - name: swappiness (read-only /proc/sys/vm in the container)
      sysctl: { name: vm.swappiness, value: 0, sysctl_file: ${FILE}, ignore_readonly: true }
`;
const changedTasks = (r: LabRun): string[] => r.results.filter((x) => x.status === 'changed').map((x) => x.task);

describe.skipIf(sharedLabSkipReason() !== null)('sysctl on lab hosts', () => {
  const state = sharedLabSkipReason() === null ? sharedLabState() : undefined!;
  let forwardBefore = '';
  beforeAll(async () => {
    forwardBefore = (await labSsh(state, 'h1', 'cat /proc/sys/net/ipv4/ip_forward')).stdout.trim();
    await labSsh(state, 'h1', `echo 0 > /proc/sys/net/ipv4/ip_forward; rm -f ${FILE}`);
  });
  afterAll(async () => {
    await labSsh(state, 'h1', `echo ${forwardBefore || 0} > /proc/sys/net/ipv4/ip_forward; rm -f ${FILE}`);
  });

  it('check, apply, converge', async () => {
    const before = await hashHostFiles(state, 'h1');
    const check = await runOnLab(state, playbook, { check: true, diff: true, limit: 'h1' });
    expect(check.failed, check.stderr).toBe(0);
    expect(check.changed).toBeGreaterThan(0);
    expect(await hashHostFiles(state, 'h1')).toBe(before);

    const run = await runOnLab(state, playbook, { diff: true, limit: 'h1' });
    expect(run.failed, run.stderr).toBe(0);
    expect(changedTasks(run)).toEqual(changedTasks(check));
    const swap = run.results.find((r) => r.task.startsWith('swappiness'));
    expect(swap?.changes.map((c) => c.summary).join('\n')).toMatch(/runtime not applied: \/proc\/sys\/vm\/swappiness is read-only/);
    const on = await labSsh(state, 'h1', `cat /proc/sys/net/ipv4/ip_forward; cat ${FILE}`);
    expect(on.stdout).toBe('1\nnet.ipv4.ip_forward = 1\nnet.ipv4.ip_local_port_range = 32768 60999\nvm.swappiness = 0\n');

    const again = await runOnLab(state, playbook, { limit: 'h1' });
    expect(again.failed, again.stderr).toBe(0);
    expect(again.changed).toBe(0);
  });

  it('a read-only key without ignore_readonly fails with a hint', async () => {
    const r = await runOnLab(state, `- hosts: h1\n  gather_facts: false\n  tasks:\n    - sysctl: { name: vm.swappiness, value: "1", sysctl_file: ${FILE} }\n`, { limit: 'h1' });
    expect(r.failed).toBe(1);
    const res = r.results.find((x) => x.status === 'failed');
    expect(res?.msg).toMatch(/vm.swappiness is read-only on this host/);
    expect(res?.hint).toMatch(/ignore_readonly/);
  });
});
