import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedLabSkipReason, sharedLabState, labSsh } from '../../test/lab/shared-lab.js';
import { runOnLab, hashHostFiles, type LabRun } from '../../test/lab/converge.js';

const DEST = '/usr/local/bin/k3play-test-get-url';
const OTHER = '/usr/local/bin/k3play-test-get-url-bad';
const BODY = `#!/bin/sh\necho k3play get_url test ${Date.now()}\n`;
const SHA = createHash('sha256').update(BODY).digest('hex');
const changedTasks = (r: LabRun): string[] => r.results.filter((x) => x.status === 'changed').map((x) => x.task);

describe.skipIf(sharedLabSkipReason() !== null)('get_url on lab hosts', () => {
  const state = sharedLabSkipReason() === null ? sharedLabState() : undefined!;
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => (req.url === '/artifact' ? res.end(BODY) : res.writeHead(404).end()));
    await new Promise<void>((r) => server.listen(0, state.bridgeIp, r));
    base = `http://${state.bridgeIp}:${(server.address() as { port: number }).port}`;
    await labSsh(state, 'h1', `rm -f ${DEST} ${OTHER}`);
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await labSsh(state, 'h1', `rm -f ${DEST} ${OTHER}`);
  });
  const playbook = () => `- hosts: h1
  gather_facts: false
  tasks:
    - name: artifact
      get_url: { url: "${base}/artifact", dest: ${DEST}, checksum: "sha256:${SHA}", mode: "0755" }
`;

  it('check, apply, converge', async () => {
    const before = await hashHostFiles(state, 'h1');
    const check = await runOnLab(state, playbook(), { check: true, limit: 'h1' });
    expect(check.failed, check.stderr).toBe(0);
    expect(check.changed).toBeGreaterThan(0);
    expect(await hashHostFiles(state, 'h1')).toBe(before);

    const run = await runOnLab(state, playbook(), { limit: 'h1' });
    expect(run.failed, run.stderr).toBe(0);
    expect(changedTasks(run)).toEqual(changedTasks(check));
    expect((await labSsh(state, 'h1', `stat -c %a ${DEST}; ${DEST}`)).stdout).toBe(`755\n${BODY.split('\n')[1]?.replace(/^echo /, '')}\n`);

    const again = await runOnLab(state, playbook(), { limit: 'h1' });
    expect(again.failed, again.stderr).toBe(0);
    expect(again.changed).toBe(0);
  });

  it('a wrong checksum is refused and dest stays as it was', async () => {
    await labSsh(state, 'h1', `echo old > ${OTHER}`);
    const r = await runOnLab(
      state,
      `- hosts: h1\n  gather_facts: false\n  tasks:\n    - get_url: { url: "${base}/artifact", dest: ${OTHER}, checksum: "sha256:${'0'.repeat(64)}" }\n`,
      { limit: 'h1' },
    );
    expect(r.failed).toBe(1);
    const res = r.results.find((x) => x.status === 'failed');
    expect(`${res?.msg ?? ''} ${res?.stderr ?? ''}`).toMatch(new RegExp(`checksum mismatch .*got sha256:${SHA}`));
    expect((await labSsh(state, 'h1', `cat ${OTHER}; ls -a /usr/local/bin | grep -c k3play-get_url || true`)).stdout).toBe('old\n0\n');
  });
});
