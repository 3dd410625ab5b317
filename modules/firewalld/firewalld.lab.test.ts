import { describe, expect, it } from 'vitest';
import { sharedLabSkipReason, sharedLabState } from '../../test/lab/shared-lab.js';
import { runOnLab } from '../../test/lab/converge.js';

// The Debian base has no firewalld: only the "not installed" paths can be proven here.
describe.skipIf(sharedLabSkipReason() !== null)('firewalld on lab hosts (not installed)', () => {
  const state = sharedLabSkipReason() === null ? sharedLabState() : undefined!;

  it('stopped/disabled are ok with no change, in check and real runs', async () => {
    const pb = `- hosts: h1\n  gather_facts: false\n  tasks:\n    - firewalld: { state: stopped }\n    - firewalld: { port: 6443/tcp, state: disabled }\n`;
    for (const check of [true, false]) {
      const r = await runOnLab(state, pb, { check, limit: 'h1' });
      expect(r.failed, r.stderr).toBe(0);
      expect(r.changed).toBe(0);
      expect(r.results.map((x) => x.status)).toEqual(['ok', 'ok']);
    }
  });

  it('opening a port fails clearly', async () => {
    const r = await runOnLab(state, `- hosts: h1\n  gather_facts: false\n  tasks:\n    - firewalld: { port: 6443/tcp, state: enabled }\n`, { limit: 'h1' });
    expect(r.failed).toBe(1);
    const res = r.results.find((x) => x.status === 'failed');
    expect(res?.msg).toMatch(/firewalld is not installed: cannot open port 6443\/tcp/);
    expect(res?.hint).toMatch(/install the firewalld package/);
  });
});
