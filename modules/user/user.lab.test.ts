import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedLabSkipReason, sharedLabState, labSsh } from '../../test/lab/shared-lab.js';
import { runOnLab, hashHostFiles, type LabRun } from '../../test/lab/converge.js';

// Covers the group module too: the user's primary group is made by a group task.
const present = `- hosts: h2
  gather_facts: false
  tasks:
    - name: group
      group: { name: k3play-test-group, system: true }
    - name: user
      user: { name: k3play-test-user, group: k3play-test-group, groups: [adm], shell: /bin/bash, home: /var/lib/k3play-test-user, system: true, create_home: false }
`;
const absent = `- hosts: h2
  gather_facts: false
  tasks:
    - user: { name: k3play-test-user, state: absent }
    - group: { name: k3play-test-group, state: absent }
`;
const changedTasks = (r: LabRun): string[] => r.results.filter((x) => x.status === 'changed').map((x) => x.task);
const cleanup = 'userdel k3play-test-user 2>/dev/null; groupdel k3play-test-group 2>/dev/null; true';

describe.skipIf(sharedLabSkipReason() !== null)('user and group on lab hosts', () => {
  const state = sharedLabSkipReason() === null ? sharedLabState() : undefined!;
  beforeAll(async () => {
    await labSsh(state, 'h2', cleanup);
  });
  afterAll(async () => {
    await labSsh(state, 'h2', cleanup);
  });

  it('check, apply, converge, remove', async () => {
    const before = await hashHostFiles(state, 'h2');
    const check = await runOnLab(state, present, { check: true, limit: 'h2' });
    expect(check.failed, check.stderr).toBe(0);
    expect(check.changed).toBe(2);
    expect(await hashHostFiles(state, 'h2')).toBe(before);

    const run = await runOnLab(state, present, { limit: 'h2' });
    expect(run.failed, run.stderr).toBe(0);
    expect(changedTasks(run)).toEqual(changedTasks(check));
    const id = await labSsh(state, 'h2', 'id -gn k3play-test-user; id -Gn k3play-test-user; getent passwd k3play-test-user | cut -d: -f6,7; test -e /var/lib/k3play-test-user; echo $?');
    expect(id.stdout).toBe('k3play-test-group\nk3play-test-group adm\n/var/lib/k3play-test-user:/bin/bash\n1\n');

    const again = await runOnLab(state, present, { limit: 'h2' });
    expect(again.failed, again.stderr).toBe(0);
    expect(again.changed).toBe(0);

    // Drift: a changed shell is put back by one usermod.
    await labSsh(state, 'h2', 'usermod -s /bin/sh k3play-test-user');
    const fix = await runOnLab(state, present, { limit: 'h2' });
    expect(fix.results.find((r) => r.task === 'user')?.changes.map((c) => c.summary)).toEqual(['user k3play-test-user: shell /bin/sh -> /bin/bash']);

    const rm = await runOnLab(state, absent, { limit: 'h2' });
    expect(rm.failed, rm.stderr).toBe(0);
    expect(rm.changed).toBe(2);
    expect((await labSsh(state, 'h2', 'getent passwd k3play-test-user; getent group k3play-test-group; echo $?')).stdout).toBe('2\n');
    expect((await runOnLab(state, absent, { limit: 'h2' })).changed).toBe(0);
  });
});
