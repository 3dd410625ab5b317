/**
 * blockinfile on real lab hosts (h1, h2): a seeded file is edited; --check writes nothing and predicts
 * the real run; the real run gives exactly the expected bytes (the rest of the file kept); a
 * second run changes nothing. /etc/k3play-test-blockinfile/modules.conf is restored/removed in afterAll.
 */
import { afterAll, describe, it } from 'vitest';
import { expectSeededEditConverges } from '../../test/lab/converge.js';
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

describe.skipIf(sharedLabSkipReason() !== null)('blockinfile on lab hosts', () => {
  afterAll(async () => {
    const state = sharedLabState();
    await Promise.all(['h1', 'h2'].map((h) => labSsh(state, h, `rm -rf ${DIR}`)));
  });

  it('check predicts, apply gives the expected bytes, second run changes nothing', async () => {
    await expectSeededEditConverges(sharedLabState(), { dir: DIR, path: PATH, seed: SEED, play: PLAY, expected: EXPECTED });
  });
});
