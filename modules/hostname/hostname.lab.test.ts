import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedLabSkipReason, sharedLabState, labSsh } from '../../test/lab/shared-lab.js';
import { runOnLab, hashHostFiles, type LabRun } from '../../test/lab/converge.js';

const NEW = 'k3play-hostname-labtest';
const playbook = `- hosts: h5
  gather_facts: false
  tasks:
    - name: rename
      hostname: { name: ${NEW} }
`;
const changedTasks = (r: LabRun): string[] => r.results.filter((x) => x.status === 'changed').map((x) => x.task);

describe.skipIf(sharedLabSkipReason() !== null)('hostname on lab hosts', () => {
  const state = sharedLabSkipReason() === null ? sharedLabState() : undefined!;
  let original = '';
  beforeAll(async () => {
    original = (await labSsh(state, 'h5', 'cat /etc/hostname')).stdout.trim();
    expect(original).not.toBe('');
  });
  afterAll(async () => {
    if (original) await labSsh(state, 'h5', `hostnamectl set-hostname ${original}`);
  });

  it('check, apply, converge on h5', async () => {
    const before = await hashHostFiles(state, 'h5');
    const check = await runOnLab(state, playbook, { check: true, diff: true, limit: 'h5' });
    expect(check.failed, check.stderr).toBe(0);
    expect(check.changed).toBeGreaterThan(0);
    expect(await hashHostFiles(state, 'h5')).toBe(before);

    const run = await runOnLab(state, playbook, { diff: true, limit: 'h5' });
    expect(run.failed, run.stderr).toBe(0);
    expect(changedTasks(run)).toEqual(changedTasks(check));
    expect((await labSsh(state, 'h5', 'cat /etc/hostname /proc/sys/kernel/hostname')).stdout).toBe(`${NEW}\n${NEW}\n`);

    const again = await runOnLab(state, playbook, { limit: 'h5' });
    expect(again.failed, again.stderr).toBe(0);
    expect(again.changed).toBe(0);
  });
});
