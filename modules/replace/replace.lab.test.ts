/**
 * replace on real lab hosts (h1, h2): a seeded file is edited; --check writes nothing and predicts
 * the real run; the real run gives exactly the expected bytes (the rest of the file kept); a
 * second run changes nothing. /etc/k3play-test-replace/fstab is restored/removed in afterAll.
 */
import { afterAll, describe, it } from 'vitest';
import { expectSeededEditConverges } from '../../test/lab/converge.js';
import { labSsh, sharedLabSkipReason, sharedLabState } from '../../test/lab/shared-lab.js';

const DIR = '/etc/k3play-test-replace';
const PATH = `${DIR}/fstab`;
const SEED = 'UUID=1 / ext4 defaults 0 1\n/swapfile none swap sw 0 0\n/swap2 none swap sw 0 0';
const PLAY = `
- hosts: h1:h2
  gather_facts: false
  tasks:
    - name: comment out swap
      replace: { path: ${PATH}, regexp: "^([^#\\\\n].*\\\\sswap\\\\s.*)$", replace: "# \\\\1", backup: true }
`;
const EXPECTED = 'UUID=1 / ext4 defaults 0 1\n# /swapfile none swap sw 0 0\n# /swap2 none swap sw 0 0';

describe.skipIf(sharedLabSkipReason() !== null)('replace on lab hosts', () => {
  afterAll(async () => {
    const state = sharedLabState();
    await Promise.all(['h1', 'h2'].map((h) => labSsh(state, h, `rm -rf ${DIR}`)));
  });

  it('check predicts, apply gives the expected bytes, second run changes nothing', async () => {
    await expectSeededEditConverges(sharedLabState(), { dir: DIR, path: PATH, seed: SEED, play: PLAY, expected: EXPECTED });
  });
});
