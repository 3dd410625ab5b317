/**
 * blockinfile on real lab hosts (h1, h2): a seeded file is edited; --check writes nothing and predicts
 * the real run; the real run gives exactly the expected bytes (the rest of the file kept); a
 * second run changes nothing. /etc/k3play-test-blockinfile/modules.conf is restored/removed in afterAll.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { hashHostFiles, runOnLab, type LabRun } from '../../test/lab/converge.js';
import { labSsh, sharedLabSkipReason, sharedLabState } from '../../test/lab/shared-lab.js';

const DIR = '/etc/k3play-test-blockinfile';
const PATH = `${DIR}/modules.conf`;
const SEED = '# keep\nloop';
const PLAY = `
- hosts: h1:h2
  gather_facts: false
  tasks:
    - name: block
      blockinfile: { path: ${PATH}, block: "overlay\\nbr_netfilter\\n", mode: "0600" }
`;
const EXPECTED = '# keep\nloop\n# BEGIN K3PLAY MANAGED BLOCK\noverlay\nbr_netfilter\n# END K3PLAY MANAGED BLOCK\n';

const changedTasks = (r: LabRun) => r.results.filter((x) => x.status === 'changed').map((x) => `${x.host}/${x.task}`).sort();

describe.skipIf(sharedLabSkipReason() !== null)('blockinfile on lab hosts', () => {
  afterAll(async () => {
    const state = sharedLabState();
    await Promise.all(['h1', 'h2'].map((h) => labSsh(state, h, `rm -rf ${DIR}`)));
  });

  it('check predicts, apply gives the expected bytes, second run changes nothing', async () => {
    const state = sharedLabState();
    const seed = Buffer.from(SEED).toString('base64');
    await Promise.all(['h1', 'h2'].map((h) => labSsh(state, h, `mkdir -p ${DIR} && echo ${seed} | base64 -d > ${PATH}`)));
    const before = await hashHostFiles(state, 'h1');
    const check = await runOnLab(state, PLAY, { check: true, diff: true });
    expect(check.failed, JSON.stringify(check.results)).toBe(0);
    expect(check.changed).toBeGreaterThan(0);
    expect(await hashHostFiles(state, 'h1')).toBe(before);

    const first = await runOnLab(state, PLAY, { diff: true });
    expect(first.failed, JSON.stringify(first.results)).toBe(0);
    expect(changedTasks(first)).toEqual(changedTasks(check));
    for (const h of ['h1', 'h2']) {
      const got = await labSsh(state, h, `base64 -w0 ${PATH}`);
      expect(Buffer.from(got.stdout, 'base64').toString()).toBe(EXPECTED);
    }

    const second = await runOnLab(state, PLAY);
    expect(second.failed).toBe(0);
    expect(second.changed).toBe(0);
  });
});
