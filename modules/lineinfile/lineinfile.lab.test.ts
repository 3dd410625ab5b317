/**
 * lineinfile on real lab hosts (h1, h2): a seeded file is edited; --check writes nothing and predicts
 * the real run; the real run gives exactly the expected bytes (the rest of the file kept); a
 * second run changes nothing. /etc/k3play-test-lineinfile/sshd.conf is restored/removed in afterAll.
 */
import { afterAll, describe, it } from 'vitest';
import { expectSeededEditConverges } from '../../test/lab/converge.js';
import { labSsh, sharedLabSkipReason, sharedLabState } from '../../test/lab/shared-lab.js';

const DIR = '/etc/k3play-test-lineinfile';
const PATH = `${DIR}/sshd.conf`;
const SEED = '# c\nPort 22\r\n#PasswordAuthentication yes\nUsePAM yes';
const PLAY = `
- hosts: h1:h2
  gather_facts: false
  tasks:
    - name: port
      lineinfile: { path: ${PATH}, regexp: "^Port ", line: "Port 2222" }
    - name: no passwords
      lineinfile: { path: ${PATH}, regexp: "^#?PasswordAuthentication", line: "PasswordAuthentication no" }
    - name: appended
      lineinfile: { path: ${PATH}, line: "X11Forwarding no", insertafter: EOF }
    - name: gone
      lineinfile: { path: ${PATH}, regexp: "^UsePAM", state: absent }
`;
const EXPECTED = '# c\nPort 2222\r\nPasswordAuthentication no\nX11Forwarding no\n';

describe.skipIf(sharedLabSkipReason() !== null)('lineinfile on lab hosts', () => {
  afterAll(async () => {
    const state = sharedLabState();
    await Promise.all(['h1', 'h2'].map((h) => labSsh(state, h, `rm -rf ${DIR}`)));
  });

  it('check predicts, apply gives the expected bytes, second run changes nothing', async () => {
    await expectSeededEditConverges(sharedLabState(), { dir: DIR, path: PATH, seed: SEED, play: PLAY, expected: EXPECTED });
  });
});
