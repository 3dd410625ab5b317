import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedLabSkipReason, sharedLabState, labSsh } from '../../test/lab/shared-lab.js';
import { runOnLab, hashHostFiles, type LabRun } from '../../test/lab/converge.js';

// Lab containers share the machine's kernel and have no CAP_SYS_MODULE: loading is impossible,
// so br_netfilter/overlay must be found loaded (evidence) and only the boot files change.
const FILES = ['/etc/modules-load.d/br_netfilter.conf', '/etc/modules-load.d/overlay.conf'];
const playbook = `- hosts: h1
  gather_facts: false
  tasks:
    - name: module {{ item }}
      modprobe: { name: "{{ item }}" }
      loop: [overlay, br_netfilter]
`;
const changedTasks = (r: LabRun): string[] => r.results.filter((x) => x.status === 'changed').map((x) => `${x.task}/${x.item ?? ''}`);

describe.skipIf(sharedLabSkipReason() !== null)('modprobe on lab hosts', () => {
  const state = sharedLabSkipReason() === null ? sharedLabState() : undefined!;
  let preexisting: string[] = [];
  beforeAll(async () => {
    const r = await labSsh(state, 'h1', `for f in ${FILES.join(' ')}; do [ -e "$f" ] && echo "$f"; done; true`);
    preexisting = r.stdout.split('\n').filter(Boolean);
    expect(preexisting, 'another test left module files behind').toEqual([]);
  });
  afterAll(async () => {
    await labSsh(state, 'h1', `rm -f ${FILES.filter((f) => !preexisting.includes(f)).join(' ')}`);
  });

  it('check, apply, converge (files only: the modules are already loaded in the shared kernel)', async () => {
    const loaded = await labSsh(state, 'h1', 'ls -d /proc/sys/net/bridge && grep -w overlay /proc/filesystems');
    expect(loaded.code, 'br_netfilter and overlay must be loaded on the lab machine').toBe(0);
    const before = await hashHostFiles(state, 'h1');
    const check = await runOnLab(state, playbook, { check: true, diff: true, limit: 'h1' });
    expect(check.failed, check.stderr).toBe(0);
    expect(check.changed).toBeGreaterThan(0);
    expect(await hashHostFiles(state, 'h1')).toBe(before);

    const run = await runOnLab(state, playbook, { diff: true, limit: 'h1' });
    expect(run.failed, run.stderr).toBe(0);
    expect(changedTasks(run)).toEqual(changedTasks(check));
    expect(run.results.flatMap((r) => r.changes.map((c) => c.summary)).join('\n')).not.toMatch(/load module/);
    expect((await labSsh(state, 'h1', `cat ${FILES.join(' ')}`)).stdout).toBe('br_netfilter\noverlay\n');

    const again = await runOnLab(state, playbook, { limit: 'h1' });
    expect(again.failed, again.stderr).toBe(0);
    expect(again.changed).toBe(0);
  });

  it('a module that is not loaded fails with a hint (no CAP_SYS_MODULE here)', async () => {
    const r = await runOnLab(state, `- hosts: h1\n  gather_facts: false\n  tasks:\n    - modprobe: { name: k3play_nosuch, persistent: disabled }\n`, { limit: 'h1' });
    expect(r.failed).toBe(1);
    const res = r.results.find((x) => x.status === 'failed');
    expect(res?.msg).toMatch(/cannot load kernel module k3play_nosuch: this host lacks CAP_SYS_MODULE/);
    expect(res?.hint).toMatch(/modprobe k3play_nosuch/);
  });
});
