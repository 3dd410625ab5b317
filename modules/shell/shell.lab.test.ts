import { afterAll, describe, expect, it } from 'vitest';
import { sharedLabSkipReason, sharedLabState, labSsh } from '../../test/lab/shared-lab.js';
import { runOnLab } from '../../test/lab/converge.js';

const OUT = '/tmp/k3play-test-shell.out';
const playbook = `- hosts: h1
  gather_facts: false
  tasks:
    - name: pipeline under bash
      shell:
        cmd: set -o pipefail; printf '%s\\n' "$BASH_VERSION" | cut -c1 > ${OUT}
        executable: /bin/bash
        creates: ${OUT}
`;

describe.skipIf(sharedLabSkipReason() !== null)('shell on lab hosts', () => {
  const state = sharedLabSkipReason() === null ? sharedLabState() : undefined!;
  afterAll(async () => {
    await labSsh(state, 'h1', `rm -f ${OUT}`);
  });

  it('check, run once, then skipped by creates', async () => {
    await labSsh(state, 'h1', `rm -f ${OUT}`);
    const check = await runOnLab(state, playbook, { check: true, limit: 'h1' });
    expect(check.failed, check.stderr).toBe(0);
    expect(check.changed).toBe(1);
    expect((await labSsh(state, 'h1', `test -e ${OUT}; echo $?`)).stdout).toBe('1\n');

    const run = await runOnLab(state, playbook, { limit: 'h1' });
    expect(run.failed, run.stderr).toBe(0);
    expect(run.changed).toBe(1);
    expect((await labSsh(state, 'h1', `cat ${OUT}`)).stdout).toBe('5\n');

    expect((await runOnLab(state, playbook, { limit: 'h1' })).changed).toBe(0);
  });
});
