/**
 * hosts_entries on real lab hosts (h1, h2): the managed block is added to /etc/hosts (every
 * other byte kept), --check writes nothing and predicts the real run, a second run changes
 * nothing, state: absent gives back the original file. /etc/hosts is restored in afterAll
 * (written in place with cat, so its inode stays).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { changedTasks, hashHostFiles, runOnLab } from '../../test/lab/converge.js';
import { labSsh, sharedLabSkipReason, sharedLabState } from '../../test/lab/shared-lab.js';

const SAVED = '/root/k3play-test-hosts_entries.orig';
const play = (state: string) => `
- hosts: h1:h2
  gather_facts: false
  tasks:
    - name: cluster names
      hosts_entries:
        state: ${state}
        entries: |
          {{#each (group "lab_full")}}10.99.0.{{@index}} {{this}}-k3play-test
          {{/each}}
`;
describe.skipIf(sharedLabSkipReason() !== null)('hosts_entries on lab hosts', () => {
  afterAll(async () => {
    const state = sharedLabState();
    await Promise.all(['h1', 'h2'].map((h) => labSsh(state, h, `[ -f ${SAVED} ] && cat ${SAVED} > /etc/hosts && rm -f ${SAVED}`)));
  });

  it('adds the block, converges, and removes it again byte for byte', async () => {
    const state = sharedLabState();
    await Promise.all(['h1', 'h2'].map((h) => labSsh(state, h, `cp -p /etc/hosts ${SAVED}`)));
    const orig = (await labSsh(state, 'h1', 'base64 -w0 /etc/hosts')).stdout;
    const before = await hashHostFiles(state, 'h1');
    const check = await runOnLab(state, play('present'), { check: true, diff: true });
    expect(check.failed, JSON.stringify(check.results)).toBe(0);
    expect(check.changed).toBe(2);
    expect(await hashHostFiles(state, 'h1')).toBe(before);

    const first = await runOnLab(state, play('present'), { diff: true });
    expect(first.failed, JSON.stringify(first.results)).toBe(0);
    expect(changedTasks(first)).toEqual(changedTasks(check));
    const hosts = Buffer.from((await labSsh(state, 'h1', 'base64 -w0 /etc/hosts')).stdout, 'base64').toString();
    const origText = Buffer.from(orig, 'base64').toString();
    expect(hosts.startsWith(origText.endsWith('\n') || origText === '' ? origText : `${origText}\n`)).toBe(true);
    expect(hosts).toMatch(/# BEGIN K3PLAY MANAGED HOSTS\n10\.99\.0\.0 h1-k3play-test\n10\.99\.0\.1 h2-k3play-test\n[^]*# END K3PLAY MANAGED HOSTS\n$/);
    expect((await labSsh(state, 'h2', 'getent hosts h1-k3play-test')).stdout).toMatch(/^10\.99\.0\.0\s+h1-k3play-test/);

    const second = await runOnLab(state, play('present'));
    expect(second.changed).toBe(0);

    const removed = await runOnLab(state, play('absent'));
    expect(removed.failed).toBe(0);
    expect(removed.changed).toBe(2);
    if (origText.endsWith('\n')) expect((await labSsh(state, 'h1', 'base64 -w0 /etc/hosts')).stdout).toBe(orig);
  });
});
