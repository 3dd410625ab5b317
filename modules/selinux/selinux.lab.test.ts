import { describe, expect, it } from 'vitest';
import { sharedLabSkipReason, sharedLabState, labSsh } from '../../test/lab/shared-lab.js';
import { runOnLab, hashHostFiles } from '../../test/lab/converge.js';

// Debian lab hosts have no SELinux: the absent path is real here; the SELinux-present paths
// (config edit, setenforce, reboot required) are unit tests on captured outputs.
const play = (state: string): string => `- hosts: h1
  gather_facts: false
  tasks:
    - name: selinux ${state}
      selinux: { state: ${state} }
`;

describe.skipIf(sharedLabSkipReason() !== null)('selinux on lab hosts (no SELinux installed)', () => {
  const state = sharedLabSkipReason() === null ? sharedLabState() : undefined!;

  it('the lab really has no SELinux', async () => {
    const r = await labSsh(state, 'h1', 'command -v getenforce; [ -e /etc/selinux/config ] && echo config');
    expect(r.stdout.trim()).toBe('');
  });

  it.each(['disabled', 'permissive'])('state %s: nothing to do, in check mode and for real', async (s) => {
    const before = await hashHostFiles(state, 'h1');
    const check = await runOnLab(state, play(s), { check: true, limit: 'h1' });
    expect(check.failed, check.stderr).toBe(0);
    expect(check.changed).toBe(0);
    const run = await runOnLab(state, play(s), { limit: 'h1' });
    expect(run.failed, run.stderr).toBe(0);
    expect(run.changed).toBe(0);
    expect(await hashHostFiles(state, 'h1')).toBe(before);
  });

  it('state enforcing fails with a clear message', async () => {
    const r = await runOnLab(state, play('enforcing'), { limit: 'h1' });
    expect(r.failed).toBe(1);
    const res = r.results.find((x) => x.status === 'failed');
    expect(res?.msg).toMatch(/SELinux is not available on this host/);
    expect(res?.hint).toMatch(/state: permissive/);
  });
});
