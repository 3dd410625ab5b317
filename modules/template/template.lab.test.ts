/**
 * template on real lab hosts: a rendered file shows the rendered text in its diff, --check
 * writes nothing, a second run changes nothing; a host file that contains `{{ x }}` is only
 * content (shown as is in the diff, never rendered). Cleans /etc/k3play-test-template.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { hashHostFiles, runOnLab } from '../../test/lab/converge.js';
import { labSsh, sharedLabSkipReason, sharedLabState } from '../../test/lab/shared-lab.js';

const DIR = '/etc/k3play-test-template';
const PLAY = `
- hosts: h1:h2
  gather_facts: false
  vars:
    port: 6443
  tasks:
    - name: rendered
      template: { src: app.conf.hbs, dest: ${DIR}/app.conf, mode: "0600" }
`;
const FILES = { 'app.conf.hbs': 'host={{ inventory_hostname }}\nport={{ port }}\n' };

describe.skipIf(sharedLabSkipReason() !== null)('template on lab hosts', () => {
  afterAll(async () => {
    const state = sharedLabState();
    await Promise.all(['h1', 'h2'].map((h) => labSsh(state, h, `rm -rf ${DIR}`)));
  });

  it('renders, diffs the rendered text, converges; host {{ x }} is not rendered', async () => {
    const state = sharedLabState();
    await Promise.all(['h1', 'h2'].map((h) => labSsh(state, h, `mkdir -p ${DIR} && printf 'old={{ x }}\\n' > ${DIR}/app.conf`)));
    const before = await hashHostFiles(state, 'h1');
    const check = await runOnLab(state, PLAY, { check: true, diff: true, files: FILES });
    expect(check.failed, check.stderr).toBe(0);
    expect(check.changed).toBe(2);
    expect(await hashHostFiles(state, 'h1')).toBe(before);

    const first = await runOnLab(state, PLAY, { diff: true, files: FILES });
    expect(first.failed, JSON.stringify(first.results)).toBe(0);
    expect(first.changed).toBe(2);
    const diff = first.results.find((r) => r.host === 'h2')?.changes[0]?.diff;
    expect(diff).toEqual({ path: `${DIR}/app.conf`, before: 'old={{ x }}\n', after: 'host=h2\nport=6443\n' });
    const got = await labSsh(state, 'h2', `stat -c %a ${DIR}/app.conf; cat ${DIR}/app.conf`);
    expect(got.stdout).toBe('600\nhost=h2\nport=6443\n');

    const second = await runOnLab(state, PLAY, { files: FILES });
    expect(second.failed).toBe(0);
    expect(second.changed).toBe(0);
  });
});
