import { afterAll, describe, expect, it } from 'vitest';
import { sharedLabSkipReason, sharedLabState, labSsh } from '../../test/lab/shared-lab.js';
import { runOnLab, hashHostFiles } from '../../test/lab/converge.js';

const FLAG = '/tmp/k3play-test-wait-for-flag';
const playbook = `- hosts: h1
  gather_facts: false
  tasks:
    - name: sshd listens
      wait_for: { port: 22 }
    - name: flag file
      wait_for: { path: ${FLAG}, timeout: 30 }
`;

describe.skipIf(sharedLabSkipReason() !== null)('wait_for on lab hosts', () => {
  const state = sharedLabSkipReason() === null ? sharedLabState() : undefined!;
  afterAll(async () => {
    await labSsh(state, 'h1', `rm -f ${FLAG}`);
  });

  it('check says it would wait; the run waits on the host; then ok', async () => {
    await labSsh(state, 'h1', `rm -f ${FLAG}`);
    const before = await hashHostFiles(state, 'h1');
    const check = await runOnLab(state, playbook, { check: true, limit: 'h1' });
    expect(check.failed, JSON.stringify(check.results)).toBe(0);
    expect(check.results.filter((r) => r.status === 'changed').map((r) => r.task)).toEqual(['flag file']);
    expect(await hashHostFiles(state, 'h1')).toBe(before);

    // The flag appears 6 s from now, from a detached background job on the host.
    expect((await labSsh(state, 'h1', `setsid sh -c 'sleep 6; touch ${FLAG}' </dev/null >/dev/null 2>&1 &`)).code).toBe(0);
    const t0 = Date.now();
    const run = await runOnLab(state, playbook, { limit: 'h1' });
    expect(run.failed, JSON.stringify(run.results)).toBe(0);
    expect(Date.now() - t0).toBeGreaterThan(1500);
    const waited = run.results.find((r) => r.task === 'flag file');
    expect(waited?.changes.map((c) => c.summary)).toEqual([`waited for ${FLAG} to be present (timeout 30 s)`]);
    expect(run.results.find((r) => r.task === 'sshd listens')?.status).toBe('ok');

    const again = await runOnLab(state, playbook, { limit: 'h1' });
    expect(again.changed, JSON.stringify(again.results)).toBe(0);
  });

  it('a timeout fails the task with a clear message', async () => {
    const r = await runOnLab(state, `- hosts: h1\n  gather_facts: false\n  tasks:\n    - wait_for: { port: 1, timeout: 2 }\n`, { limit: 'h1' });
    expect(r.failed).toBe(1);
    const res = r.results.find((x) => x.status === 'failed');
    expect(`${res?.msg ?? ''} ${res?.stderr ?? ''}`).toMatch(/timed out after 2 s waiting for port 1 on 127.0.0.1 to be started/);
  });
});
