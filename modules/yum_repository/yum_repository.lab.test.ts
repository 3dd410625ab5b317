/**
 * yum_repository on a real lab host (h4): the repo file is plain INI in /etc/yum.repos.d, so a
 * Debian host exercises the whole read/plan/apply path (no dnf needed to write it): --check
 * writes nothing and predicts the run, the run writes the kubeadm guide's kubernetes.repo, a
 * second run changes nothing, a changed baseurl is a one-line diff, absent removes the file.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { hashHostFiles, runOnLab } from '../../test/lab/converge.js';
import { labSsh, sharedLabSkipReason, sharedLabState } from '../../test/lab/shared-lab.js';

const play = (baseurl: string, state = 'present') => `- hosts: h4
  gather_facts: false
  tasks:
    - name: kubernetes repo
      yum_repository:
        name: kubernetes
        description: Kubernetes
        baseurl: ${baseurl}
        enabled: true
        gpgcheck: true
        repo_gpgcheck: true
        gpgkey: https://packages.example.invalid/yum/doc/yum-key.gpg
        state: ${state}
`;
const URL1 = 'https://packages.example.invalid/yum/repos/kubernetes-el7-x86_64';
const URL2 = 'https://mirror.example.invalid/kubernetes-el7-x86_64';

describe.skipIf(sharedLabSkipReason() !== null)('yum_repository on lab hosts', () => {
  const state = sharedLabSkipReason() === null ? sharedLabState() : undefined!;
  afterAll(async () => {
    await labSsh(state, 'h4', 'rm -f /etc/yum.repos.d/kubernetes.repo; rmdir /etc/yum.repos.d 2>/dev/null; true');
  });

  it('check, apply, converge, change, remove', async () => {
    const before = await hashHostFiles(state, 'h4');
    const check = await runOnLab(state, play(URL1), { check: true, diff: true, limit: 'h4' });
    expect(check.failed, check.stderr).toBe(0);
    expect(check.changed).toBe(1);
    expect(await hashHostFiles(state, 'h4')).toBe(before);

    const run = await runOnLab(state, play(URL1), { diff: true, limit: 'h4' });
    expect(run.failed, run.stderr).toBe(0);
    expect(run.changed).toBe(1);
    const file = (await labSsh(state, 'h4', 'cat /etc/yum.repos.d/kubernetes.repo')).stdout;
    expect(file).toContain('[kubernetes]');
    expect(file).toContain(`baseurl=${URL1}`);
    expect(file).toContain('repo_gpgcheck=1');
    expect(run.results[0]!.changes[0]!.diff!.after).toBe(file);

    expect((await runOnLab(state, play(URL1), { limit: 'h4' })).changed).toBe(0);

    const changed = await runOnLab(state, play(URL2), { diff: true, limit: 'h4' });
    expect(changed.changed).toBe(1);
    const d = changed.results[0]!.changes[0]!.diff!;
    expect(d.before).toContain(URL1);
    expect(d.after).toContain(URL2);

    const removed = await runOnLab(state, play(URL2, 'absent'), { limit: 'h4' });
    expect(removed.changed).toBe(1);
    expect((await labSsh(state, 'h4', 'test -e /etc/yum.repos.d/kubernetes.repo; echo $?')).stdout.trim()).toBe('1');
    expect((await runOnLab(state, play(URL2, 'absent'), { limit: 'h4' })).changed).toBe(0);
  });
});
