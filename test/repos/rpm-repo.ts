/**
 * A throwaway rpm repository for tests, built on the controller: tiny noarch packages made with
 * rpmbuild from a generated spec, indexed with createrepo_c, reachable as a file:// baseurl (no
 * server needed: the dnf tests run on the controller with --installroot). Unsigned: tests set
 * gpgcheck=0. `close()` removes every file. Needs rpmbuild (package rpm) and createrepo_c.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface RpmPackage {
  readonly name: string;
  readonly version: string;
  readonly release?: string;
  readonly requires?: string;
}

export interface RpmTestRepo {
  /** file:///.../repo/ */
  readonly baseurl: string;
  /** A fresh directory for tests to use as dnf --installroot (removed by close). */
  readonly scratch: string;
  close(): Promise<void>;
}

export const DEFAULT_RPMS: readonly RpmPackage[] = [
  { name: 'k3play-dep', version: '1.0' },
  { name: 'k3play-demo', version: '1.0', requires: 'k3play-dep' },
  { name: 'k3play-demo', version: '1.1', requires: 'k3play-dep' },
];

function spec(p: RpmPackage): string {
  return [
    `Name: ${p.name}`,
    `Version: ${p.version}`,
    `Release: ${p.release ?? '1'}`,
    'Summary: k3play test package',
    'License: MIT',
    'BuildArch: noarch',
    ...(p.requires ? [`Requires: ${p.requires}`] : []),
    '%description',
    'k3play test package',
    '%install',
    `mkdir -p %{buildroot}/usr/share/${p.name}`,
    `echo %{version} > %{buildroot}/usr/share/${p.name}/version`,
    '%files',
    `/usr/share/${p.name}/version`,
    '',
  ].join('\n');
}

export async function buildRpmRepo(rpms: readonly RpmPackage[] = DEFAULT_RPMS): Promise<RpmTestRepo> {
  const top = await mkdtemp(path.join(tmpdir(), 'k3p-rpmrepo-'));
  const repo = path.join(top, 'repo');
  const scratch = path.join(top, 'scratch');
  const close = (): Promise<void> => rm(top, { recursive: true, force: true });
  try {
    await mkdir(repo);
    await mkdir(scratch);
    for (const p of rpms) {
      const build = path.join(top, `build-${p.name}-${p.version}`);
      await mkdir(path.join(build, 'SPECS'), { recursive: true });
      const file = path.join(build, 'SPECS', `${p.name}.spec`);
      await writeFile(file, spec(p));
      await run('rpmbuild', ['--quiet', '--define', `_topdir ${build}`, '--define', '_build_id_links none', '-bb', file]);
      const out = path.join(build, 'RPMS', 'noarch');
      for (const f of await readdir(out)) await rename(path.join(out, f), path.join(repo, f));
    }
    await run('createrepo_c', ['-q', repo]);
    return { baseurl: `file://${repo}/`, scratch, close };
  } catch (err) {
    await close();
    throw err;
  }
}
