/**
 * Fan-out acceptance test: a private lab of 100 light hosts (its own bridge and state dir,
 * removed in afterAll even on failure), one command each through the CLI with --forks 100.
 * All 100 must be ok: none refused by sshd's MaxStartups (the pool throttles handshakes).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labDown, labUp, type LabState } from '../../src/lab/lab.js';
import { labSkipReason } from './lab-guard.js';
import { runWithInventory } from './lab-run.js';
import { testLabName } from './shared-lab-config.js';

const PLAYBOOK = `
- name: fan-out
  hosts: all
  gather_facts: false
  tasks:
    - name: one command
      command: cat /etc/hostname
`;

describe.skipIf(labSkipReason() !== null)('fan-out: 100 light hosts, --forks 100', () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'k3play-acc-fan-'));
  let state: LabState | undefined;
  afterAll(async () => {
    await labDown({ name: testLabName('fan'), stateDir }).catch((e: unknown) => console.error(`labDown fan failed: ${String(e)}`));
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('runs one command on all 100 hosts, none unreachable', async () => {
    const t0 = Date.now();
    state = await labUp({ name: testLabName('fan'), light: 100, full: 0, stateDir, log: () => undefined });
    console.log(`fan lab (100 light) up in ${Date.now() - t0} ms`);
    const r = await runWithInventory(state.inventoryFile, PLAYBOOK, { args: ['--forks', '100'] });
    console.log(`fan-out 100 hosts --forks 100: ${r.wallMs} ms`);
    const unreachable = r.results.filter((x) => x.status === 'unreachable').map((x) => `${x.host}: ${x.msg ?? ''}`);
    expect(unreachable).toEqual([]);
    expect([r.code, r.failed, Object.keys(r.recap).length], r.stderr).toEqual([0, 0, 100]);
    const results = r.results.filter((x) => x.task === 'one command');
    expect(results).toHaveLength(100);
    for (const x of results) expect([x.host, x.status, x.stdout?.trim()]).toEqual([x.host, 'changed', x.host]);
  }, 240_000);
});
