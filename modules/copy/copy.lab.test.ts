/**
 * copy on real lab hosts (h1, h2): --check writes nothing and predicts the real run, the real
 * run writes content/mode/backup, a second run changes nothing; a failing `validate` writes
 * nothing and fails the task with the validator's stderr. Everything under
 * /etc/k3play-test-copy is removed in afterAll.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { changedTasks, hashHostFiles, runOnLab } from '../../test/lab/converge.js';
import { labSsh, sharedLabSkipReason, sharedLabState } from '../../test/lab/shared-lab.js';

const DIR = '/etc/k3play-test-copy';
const PLAY = `
- hosts: h1:h2
  gather_facts: false
  tasks:
    - name: dir
      file: { path: ${DIR}, state: directory, mode: "0755" }
    - name: inline
      copy: { dest: ${DIR}/inline.conf, content: "a=1\\n", mode: "0640" }
    - name: from src
      copy: { src: app.conf, dest: ${DIR}/app.conf, backup: true, validate: "grep -q port %s" }
`;
const FILES = { 'app.conf': 'port=80\nname={{ not_rendered }}\n' };

describe.skipIf(sharedLabSkipReason() !== null)('copy on lab hosts', () => {
  afterAll(async () => {
    const state = sharedLabState();
    await Promise.all(['h1', 'h2'].map((h) => labSsh(state, h, `rm -rf ${DIR}`)));
  });

  it('check predicts, apply converges, second run changes nothing; backup on change', async () => {
    const state = sharedLabState();
    const before = await hashHostFiles(state, 'h1');
    const check = await runOnLab(state, PLAY, { check: true, diff: true, files: FILES });
    expect(check.failed, check.stderr).toBe(0);
    expect(check.changed).toBeGreaterThan(0);
    expect(await hashHostFiles(state, 'h1')).toBe(before);

    const first = await runOnLab(state, PLAY, { diff: true, files: FILES });
    expect(first.failed, JSON.stringify(first.results.filter((r) => r.status === 'failed'))).toBe(0);
    expect(changedTasks(first)).toEqual(changedTasks(check));
    const got = await labSsh(state, 'h2', `stat -c '%a %n' ${DIR}/inline.conf ${DIR}/app.conf; cat ${DIR}/app.conf`);
    expect(got.stdout).toBe(`640 ${DIR}/inline.conf\n644 ${DIR}/app.conf\nport=80\nname={{ not_rendered }}\n`);
    const inlineDiff = first.results.find((r) => r.task === 'inline' && r.host === 'h1')?.changes[0]?.diff;
    expect(inlineDiff?.after).toBe('a=1\n');

    const second = await runOnLab(state, PLAY, { files: FILES });
    expect(second.failed).toBe(0);
    expect(second.changed).toBe(0);

    const third = await runOnLab(state, PLAY, { limit: 'h1', files: { 'app.conf': 'port=81\n' } });
    expect(third.changed).toBe(1);
    const backups = await labSsh(state, 'h1', `ls ${DIR} | grep -c '^app.conf.[0-9]\\{14\\}~$'; cat ${DIR}/app.conf.*~`);
    expect(backups.stdout).toBe('1\nport=80\nname={{ not_rendered }}\n');
  });

  it('a failing validate writes nothing and fails with the validator stderr', async () => {
    const state = sharedLabState();
    await labSsh(state, 'h1', `mkdir -p ${DIR} && printf 'good\\n' > ${DIR}/checked.conf`);
    const play = `
- hosts: h1
  gather_facts: false
  tasks:
    - name: validated
      copy:
        dest: ${DIR}/checked.conf
        content: "bad\\n"
        validate: "sh -c 'echo config rejected: line 1 >&2; exit 1' %s"
`;
    const r = await runOnLab(state, play);
    expect(r.failed).toBe(1);
    const res = r.results.find((x) => x.task === 'validated');
    expect(res?.status).toBe('failed');
    expect(res?.msg).toMatch(/validation failed .*config rejected: line 1/s);
    const after = await labSsh(state, 'h1', `cat ${DIR}/checked.conf; ls -A ${DIR} | grep -c k3play`);
    expect(after.stdout).toBe('good\n0\n'); // unchanged, and no staged or temp file left
  });
});
