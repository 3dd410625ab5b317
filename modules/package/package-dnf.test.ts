/**
 * dnf for real, on the controller: a local rpm repository (test/repos/rpm-repo.ts) and a
 * throwaway dnf --installroot, driven through the engine's runModule with a LocalConnection
 * (read -> plan -> apply -> read + plan again). Skipped unless root with dnf, rpm, rpmbuild and
 * createrepo_c installed (Debian packages: dnf rpm createrepo-c). Each step runs twice: the
 * second run must plan nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalConnection } from '../../src/connection/local-connection.js';
import { runModule } from '../../src/execute/module-task.js';
import type { ModuleDef } from '../../src/module-api/index.js';
import { buildRpmRepo, type RpmTestRepo } from '../../test/repos/rpm-repo.js';
import type { PackageArgs } from './args.js';
import pkg from './index.js';

const ready = (() => {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('sh', ['-c', 'command -v dnf && command -v rpm && command -v rpmbuild && command -v createrepo_c'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!ready)('package with dnf (local repository, --installroot)', () => {
  let repo: RpmTestRepo;
  let root: string;
  const conn = new LocalConnection();
  const mod = pkg as unknown as ModuleDef<unknown, unknown>;
  const base = (): PackageArgs => ({ name: 'x', use: 'dnf', installroot: root, releasever: '9' });
  const installed = (): string => execFileSync('sh', ['-c', `rpm --root ${root} -q --qf '%{NAME} %{VERSION}\\n' k3play-demo k3play-dep || true`], { encoding: 'utf8' });

  beforeAll(async () => {
    repo = await buildRpmRepo();
    root = path.join(repo.scratch, 'root');
    mkdirSync(path.join(root, 'etc/yum.repos.d'), { recursive: true });
    writeFileSync(path.join(root, 'etc/yum.repos.d/k3ptest.repo'), `[k3ptest]\nname=k3ptest\nbaseurl=${repo.baseurl}\ngpgcheck=0\n`);
  }, 60_000);
  afterAll(async () => {
    await repo?.close();
  });

  async function converge(args: PackageArgs): Promise<string[]> {
    const first = await runModule(mod, args, conn, { sudo: false }, false);
    expect(first.notConverged).toBeUndefined();
    const second = await runModule(mod, args, conn, { sudo: false }, false);
    expect(second.changes).toEqual([]);
    return first.changes.map((c) => c.summary);
  }

  it('present, pinned, with a metadata refresh; check mode changes nothing', async () => {
    const args = { ...base(), name: 'k3play-demo-1.0', update_cache: true };
    const check = await runModule(mod, args, conn, { sudo: false }, true);
    expect(check.changes.map((c) => c.summary)).toEqual(['refresh the dnf metadata (never refreshed, cache_valid_time 3600 s)', 'k3play-demo (none) -> 1.0']);
    expect(installed()).toMatch(/k3play-demo is not installed/);
    expect(await converge(args)).toEqual(check.changes.map((c) => c.summary));
    expect(installed()).toBe('k3play-demo 1.0\nk3play-dep 1.0\n');
  }, 120_000);

  it('latest upgrades to 1.1', async () => {
    expect(await converge({ ...base(), name: 'k3play-demo', state: 'latest' })).toEqual(['k3play-demo 1.0-1 -> 1.1-1']);
    expect(installed()).toMatch(/^k3play-demo 1\.1$/m);
  }, 120_000);

  it('a lower pin is refused, then downgraded with allow_downgrade', async () => {
    await expect(runModule(mod, { ...base(), name: 'k3play-demo-1.0' }, conn, { sudo: false }, true)).rejects.toThrow(/lower than the installed 1.1-1/);
    expect(await converge({ ...base(), name: 'k3play-demo-1.0', allow_downgrade: true })).toEqual(['k3play-demo 1.1-1 -> 1.0']);
    expect(installed()).toMatch(/^k3play-demo 1\.0$/m);
  }, 120_000);

  it('hold without the versionlock plugin is a TaskFailure with a hint', async () => {
    const hasPlugin = execFileSync('sh', ['-c', 'dnf -q versionlock --help >/dev/null 2>&1 && echo yes || echo no'], { encoding: 'utf8' }).trim() === 'yes';
    if (hasPlugin) return;
    await expect(runModule(mod, { ...base(), name: 'k3play-demo', hold: true }, conn, { sudo: false }, true)).rejects.toMatchObject({
      name: 'TaskFailure',
      hint: expect.stringMatching(/python3-dnf-plugin-versionlock/),
    });
  }, 60_000);

  it('absent', async () => {
    expect(await converge({ ...base(), name: ['k3play-demo', 'k3play-dep'], state: 'absent' })).toEqual(['remove k3play-demo 1.0-1, remove k3play-dep 1.0-1']);
    expect(installed()).toMatch(/k3play-demo is not installed\n[^]*k3play-dep is not installed/);
  }, 120_000);
});
