/**
 * Debian's own packages for lab hosts that have no route out: which .deb files installing
 * `packages` on the lab's base image needs (apt-get's simulation against the base image's dpkg
 * status, so only what the hosts lack), downloaded on the controller with `apt-get download`.
 * Serve them with buildAptRepo(bridgeIp, [], files) and install them on the hosts with the
 * package module: apt stays real end to end. Tests only; needs apt-get and the Debian archive.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** "Inst NAME [OLD] (VERSION ARCHIVE [ARCH])" lines of `apt-get -s install`. */
export function parseSimulatedInstall(text: string): { name: string; version: string }[] {
  return [...text.matchAll(/^Inst (\S+) (?:\[[^\]]*\] )?\((\S+) /gm)].map((m) => ({ name: m[1]!, version: m[2]! }));
}

async function listsAreFresh(): Promise<boolean> {
  try {
    const files = await readdir('/var/lib/apt/lists');
    const pk = files.filter((f) => f.endsWith('_Packages'));
    if (pk.length === 0) return false;
    const ages = await Promise.all(pk.map(async (f) => Date.now() - (await stat(path.join('/var/lib/apt/lists', f))).mtimeMs));
    return Math.min(...ages) < 24 * 3600 * 1000;
  } catch {
    return false;
  }
}

/**
 * Downloads into `outDir` every .deb that installing `packages` on the base image needs; returns
 * their paths. `outDir` is a cache: a marker file records what was downloaded, so a second call
 * for the same package set and versions downloads nothing.
 */
export async function downloadDebsFor(baseDir: string, packages: readonly string[], outDir: string): Promise<string[]> {
  if (!(await listsAreFresh())) await run('apt-get', ['update', '-qq'], { maxBuffer: 16 << 20 });
  const sim = await run(
    'apt-get',
    ['-s', '-o', `Dir::State::status=${path.join(baseDir, 'var/lib/dpkg/status')}`, '-o', 'Debug::NoLocking=1', 'install', '--no-install-recommends', ...packages],
    { maxBuffer: 16 << 20, env: { ...process.env, LC_ALL: 'C' } },
  );
  const need = parseSimulatedInstall(sim.stdout);
  if (need.length === 0) throw new Error(`apt-get -s install ${packages.join(' ')} against ${baseDir} installs nothing:\n${sim.stdout.slice(0, 2000)}`);
  const want = JSON.stringify(need);
  const marker = path.join(outDir, '.k3play-debs.json');
  if ((await readFile(marker, 'utf8').catch(() => '')) !== want) {
    await mkdir(outDir, { recursive: true });
    for (const f of await readdir(outDir)) if (f.endsWith('.deb')) await rm(path.join(outDir, f));
    await run('apt-get', ['download', '-qq', ...need.map((p) => `${p.name}=${p.version}`)], { cwd: outDir, maxBuffer: 16 << 20 });
    await writeFile(marker, want);
  }
  return (await readdir(outDir)).filter((f) => f.endsWith('.deb')).map((f) => path.join(outDir, f));
}
