import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedLabSkipReason, sharedLabState, labSsh } from '../../test/lab/shared-lab.js';
import { runOnLab, hashHostFiles, type LabRun } from '../../test/lab/converge.js';

// The lab containers cannot swapon: only the fstab part is real here (runtime + units: unit tests).
const SAVED = '/root/fstab.k3play-swapoff-labtest';
const FAKE = '/k3play-swapoff-labtest.img none swap sw 0 0';
const playbook = `- hosts: h1
  gather_facts: false
  tasks:
    - name: no swap
      swapoff: {}
`;
const changedTasks = (r: LabRun): string[] => r.results.filter((x) => x.status === 'changed').map((x) => x.task);

describe.skipIf(sharedLabSkipReason() !== null)('swapoff on lab hosts', () => {
  const state = sharedLabSkipReason() === null ? sharedLabState() : undefined!;
  let original = '';
  beforeAll(async () => {
    original = (await labSsh(state, 'h1', 'cat /etc/fstab')).stdout;
    const r = await labSsh(state, 'h1', `cp -p /etc/fstab ${SAVED} && printf '%s\\n' '${FAKE}' >> /etc/fstab`);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(async () => {
    await labSsh(state, 'h1', `[ -f ${SAVED} ] && mv -f ${SAVED} /etc/fstab`);
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
    expect(run.results[0]?.changes[0]?.diff?.before).toBe(`${original}${FAKE}\n`);
    expect((await labSsh(state, 'h1', 'cat /etc/fstab')).stdout).toBe(`${original}# k3play swapoff: ${FAKE}\n`);

    const again = await runOnLab(state, playbook, { limit: 'h1' });
    expect(again.failed, again.stderr).toBe(0);
    expect(again.changed).toBe(0);
  });
});
