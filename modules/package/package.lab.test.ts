/**
 * apt for real: a signed throwaway apt repository on the controller (test/repos/apt-repo.ts,
 * served on the lab bridge address), added to h3 with apt_repository, then package pinned +
 * held, refused while held, unheld to latest, removed. Every step: --check writes nothing and
 * predicts the real run, the real run changes, the second run changes nothing. afterAll removes
 * the packages, holds, source, key and the repository's index files from h3.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabState } from '../../src/lab/lab-state.js';
import { hashHostFiles, runOnLab, type LabRun } from '../../test/lab/converge.js';
import { labSsh, sharedLabSkipReason, sharedLabState } from '../../test/lab/shared-lab.js';
import { packageReadScript } from './read-script.js';
import { parsePackageRead } from './package-current.js';
import { buildAptRepo, type AptTestRepo } from '../../test/repos/apt-repo.js';

const H = 'h3';
const play = (task: string): string => `- hosts: ${H}\n  gather_facts: false\n  tasks:\n${task.replace(/^/gm, '    ')}\n`;

describe.skipIf(sharedLabSkipReason() !== null)('package + apt_repository on lab hosts', () => {
  let state: LabState;
  let repo: AptTestRepo;
  let files: Record<string, string>;

  beforeAll(async () => {
    state = sharedLabState();
    repo = await buildAptRepo(state.bridgeIp);
    files = { 'k3ptest.asc': repo.keyArmored };
  });

  afterAll(async () => {
    if (state) {
      await labSsh(
        state,
        H,
        `apt-mark unhold k3play-demo k3play-dep >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get purge -y -q k3play-demo k3play-dep >/dev/null 2>&1;
         rm -f /etc/apt/sources.list.d/k3ptest.list /etc/apt/sources.list.d/k3ptest.sources /etc/apt/keyrings/k3ptest.asc /etc/apt/keyrings/k3ptest.gpg /var/lib/apt/lists/${state.bridgeIp}*`,
      );
    }
    await repo?.close();
  });

  const sh = async (cmd: string): Promise<string> => {
    const r = await labSsh(state, H, cmd);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout.trim();
  };
  const errorsOf = (r: LabRun): string => `${JSON.stringify(r.results.filter((x) => x.status === 'failed').map((x) => [x.msg, x.hint]))} exit ${r.code} ${r.stderr.slice(0, 2000)}`;
  /** The CLI ran to its recap (a crash would otherwise look like "nothing changed"). */
  const ran = (r: LabRun): void => expect(Object.keys(r.recap), errorsOf(r)).toContain(H);

  /** --check (writes nothing, predicts), real run (changes), second run (converged). */
  async function converge(task: string): Promise<LabRun> {
    const pb = play(task);
    const before = await hashHostFiles(state, H);
    const check = await runOnLab(state, pb, { check: true, files });
    ran(check);
    expect(check.failed, errorsOf(check)).toBe(0);
    expect(check.changed).toBeGreaterThan(0);
    expect(await hashHostFiles(state, H)).toBe(before);
    const real = await runOnLab(state, pb, { files });
    ran(real);
    expect(real.failed, errorsOf(real)).toBe(0);
    expect(real.changed).toBe(check.changed);
    expect(real.results.map((x) => x.changes.map((c) => c.summary))).toEqual(check.results.map((x) => x.changes.map((c) => c.summary)));
    const again = await runOnLab(state, pb, { files });
    ran(again);
    expect(again.failed, errorsOf(again)).toBe(0);
    expect(again.changed).toBe(0);
    return real;
  }

  it('apt_repository: key in /etc/apt/keyrings, signed-by source, index fetched for this source', async () => {
    await converge(`- apt_repository:\n    filename: k3ptest\n    repo: "${repo.debLine}"\n    key_src: k3ptest.asc`);
    expect(await sh('cat /etc/apt/sources.list.d/k3ptest.list')).toBe(`deb [signed-by=/etc/apt/keyrings/k3ptest.asc] ${repo.url} ./`);
    expect(await sh('LC_ALL=C apt-cache policy k3play-demo')).toMatch(/Candidate: 1\.1/);
    expect(repo.requests.some((r) => r.endsWith('/InRelease'))).toBe(true);
  });

  it('package: pinned 1.0 and held', async () => {
    const real = await converge(`- package:\n    name: k3play-demo=1.0\n    hold: true`);
    expect(real.results[0]?.changes.map((c) => c.summary)).toEqual(['install k3play-demo (none) -> 1.0', 'hold k3play-demo']);
    expect(await sh(`dpkg-query -W -f='\${Version}' k3play-demo`)).toBe('1.0');
    expect(await sh('dpkg-query -W -f="\\${Status}" k3play-dep')).toBe('install ok installed');
    expect((await sh('apt-mark showhold')).split('\n')).toContain('k3play-demo');
  });

  it('the read script parses on a real host (one round trip, no writes)', async () => {
    const out = await sh(packageReadScript({ names: ['k3play-demo', 'k3play-dep', 'k3play-nope'], locks: true, candidates: true }).script);
    const dir = process.env['K3PLAY_CAPTURE_DIR'];
    if (dir) writeFileSync(path.join(dir, 'read-apt-held-demo.txt'), `${out}\n`);
    expect(parsePackageRead(`${out}\n`)).toMatchObject({
      manager: 'apt',
      held: ['k3play-demo'],
      installed: { 'k3play-demo': { version: '1.0', status: 'hi ' }, 'k3play-dep': { version: '1.0', status: 'ii ' } },
      policy: { 'k3play-demo': { candidate: '1.1', versions: ['1.1', '1.0'] } },
    });
  });

  it('package: latest is refused while held, in check mode too', async () => {
    for (const check of [true, false]) {
      const r = await runOnLab(state, play(`- package: {name: k3play-demo, state: latest}`), { check });
      expect(r.failed).toBe(1);
      expect(errorsOf(r)).toMatch(/k3play-demo is held[^]*hold: false/);
    }
    expect(await sh(`dpkg-query -W -f='\${Version}' k3play-demo`)).toBe('1.0');
  });

  it('package: hold: false + latest -> 1.1, unheld', async () => {
    const real = await converge(`- package: {name: k3play-demo, state: latest, hold: false}`);
    expect(real.results[0]?.changes.map((c) => c.summary)).toEqual(['release the hold on k3play-demo', 'install k3play-demo 1.0 -> 1.1']);
    expect(await sh(`dpkg-query -W -f='\${Version}' k3play-demo`)).toBe('1.1');
    expect(await sh('apt-mark showhold')).not.toMatch(/k3play-demo/);
  });

  it('package: a pin below the installed version is refused without allow_downgrade', async () => {
    const r = await runOnLab(state, play(`- package: {name: k3play-demo=1.0}`), { check: true });
    expect(r.failed).toBe(1);
    expect(errorsOf(r)).toMatch(/lower than the installed 1\.1[^]*allow_downgrade/);
  });

  it('package: absent', async () => {
    await converge(`- package:\n    name: [k3play-demo, k3play-dep]\n    state: absent`);
    expect(await sh(`dpkg-query -W -f='\${db:Status-Abbrev}' k3play-demo k3play-dep 2>/dev/null; true`)).not.toMatch(/ii/);
  });

  it('apt_repository: absent removes source and key', async () => {
    await converge(`- apt_repository: {filename: k3ptest, state: absent}`);
    expect(await sh('ls /etc/apt/sources.list.d/k3ptest.list /etc/apt/keyrings/k3ptest.asc 2>&1; true')).toMatch(/No such file[^]*No such file/);
  });
});
