import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedLabSkipReason, sharedLabState, labSsh } from '../../test/lab/shared-lab.js';
import { runOnLab, hashHostFiles, type LabRun } from '../../test/lab/converge.js';

const UNIT = 'k3play-test-sleep.service';
const DROPIN_DIR = '/etc/systemd/system/haproxy.service.d';
const unit = (desc: string) => `[Unit]\nDescription=${desc}\n[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n`;
const playbook = (desc: string, restart: boolean) => `- hosts: h1
  gather_facts: false
  tasks:
    - name: test unit
      systemd_unit:
        name: k3play-test-sleep
        content: ${JSON.stringify(unit(desc))}
        enabled: true
        state: started
        restart_on_change: ${restart}
    - name: haproxy drop-in, stays stopped and disabled
      systemd_unit:
        name: haproxy
        dropin: { name: 10-k3play-test.conf, content: "[Service]\\nEnvironment=K3PLAY_TEST=1\\n" }
        enabled: false
        state: stopped
`;
const changedTasks = (r: LabRun): string[] => r.results.filter((x) => x.status === 'changed').map((x) => x.task);
const mainPid = async (state: ReturnType<typeof sharedLabState>) => (await labSsh(state, 'h1', `systemctl show -p MainPID --value ${UNIT}`)).stdout.trim();

describe.skipIf(sharedLabSkipReason() !== null)('systemd_unit on lab hosts', () => {
  const state = sharedLabSkipReason() === null ? sharedLabState() : undefined!;
  const cleanup = `systemctl disable --now ${UNIT} 2>/dev/null; systemctl unmask ${UNIT} 2>/dev/null; rm -f /etc/systemd/system/${UNIT}; rm -f ${DROPIN_DIR}/10-k3play-test.conf; rmdir ${DROPIN_DIR} 2>/dev/null; systemctl daemon-reload; true`;
  beforeAll(async () => {
    await labSsh(state, 'h1', cleanup);
  });
  afterAll(async () => {
    await labSsh(state, 'h1', cleanup);
  });

  it('check, apply, converge', async () => {
    const before = await hashHostFiles(state, 'h1');
    const check = await runOnLab(state, playbook('v1', false), { check: true, diff: true, limit: 'h1' });
    expect(check.failed, check.stderr).toBe(0);
    expect(check.changed).toBeGreaterThan(0);
    expect(await hashHostFiles(state, 'h1')).toBe(before);
    expect(check.results.find((r) => r.task === 'test unit')?.changes.map((c) => c.summary)).toEqual([
      `create /etc/systemd/system/${UNIT}`,
      'systemctl daemon-reload',
      `enable ${UNIT}`,
      `start ${UNIT}`,
    ]);

    const run = await runOnLab(state, playbook('v1', false), { diff: true, limit: 'h1' });
    expect(run.failed, run.stderr).toBe(0);
    expect(changedTasks(run)).toEqual(changedTasks(check));
    const st = await labSsh(state, 'h1', `systemctl is-active ${UNIT}; systemctl is-enabled ${UNIT}; systemctl is-active haproxy; systemctl show -p Environment --value haproxy`);
    expect(st.stdout).toMatch(/^active\nenabled\ninactive\n.*K3PLAY_TEST=1/);

    const again = await runOnLab(state, playbook('v1', false), { limit: 'h1' });
    expect(again.failed, again.stderr).toBe(0);
    expect(again.changed).toBe(0);
  });

  it('a content change restarts a running unit only with restart_on_change', async () => {
    const pid1 = await mainPid(state);
    const noRestart = await runOnLab(state, playbook('v2', false), { limit: 'h1' });
    expect(noRestart.failed, noRestart.stderr).toBe(0);
    expect(noRestart.results.find((r) => r.task === 'test unit')?.changes.map((c) => c.summary)).toEqual([`update /etc/systemd/system/${UNIT}`, 'systemctl daemon-reload']);
    expect(await mainPid(state)).toBe(pid1);

    const restart = await runOnLab(state, playbook('v3', true), { limit: 'h1' });
    expect(restart.failed, restart.stderr).toBe(0);
    expect(restart.results.find((r) => r.task === 'test unit')?.changes.map((c) => c.summary)).toContain(`restart after change ${UNIT}`);
    expect(await mainPid(state)).not.toBe(pid1);
    expect((await runOnLab(state, playbook('v3', true), { limit: 'h1' })).changed).toBe(0);
  });

  it('restarted is always changed; stop + disable converge', async () => {
    const restarted = `- hosts: h1\n  gather_facts: false\n  tasks:\n    - systemd_unit: { name: ${UNIT}, state: restarted }\n`;
    expect((await runOnLab(state, restarted, { limit: 'h1' })).changed).toBe(1);
    expect((await runOnLab(state, restarted, { limit: 'h1' })).changed).toBe(1);
    const down = `- hosts: h1\n  gather_facts: false\n  tasks:\n    - systemd_unit: { name: ${UNIT}, state: stopped, enabled: false }\n`;
    const r = await runOnLab(state, down, { limit: 'h1' });
    expect(r.failed, r.stderr).toBe(0);
    expect(r.changed).toBe(1);
    expect((await labSsh(state, 'h1', `systemctl is-active ${UNIT}`)).stdout.trim()).toBe('inactive');
    expect((await runOnLab(state, down, { limit: 'h1' })).changed).toBe(0);
  });

  it('a missing unit fails clearly', async () => {
    const r = await runOnLab(state, `- hosts: h1\n  gather_facts: false\n  tasks:\n    - systemd_unit: { name: k3play-no-such-unit, state: started }\n`, { limit: 'h1' });
    expect(r.failed).toBe(1);
    expect(r.results.find((x) => x.status === 'failed')?.msg).toMatch(/unit k3play-no-such-unit.service not found/);
  });
});
