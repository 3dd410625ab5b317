/**
 * A throwaway signed apt repository for tests, built on the controller: tiny .deb packages
 * (dpkg-deb --build), a flat index (apt-ftparchive packages/release), InRelease and Release.gpg
 * signed with a fresh ed25519 key in a temporary GNUPGHOME, served by a Node http server on
 * `bindAddress` (e.g. the lab bridge address) and port 0. `close()` stops the server and the
 * gpg-agent it started and removes every file. Needs dpkg-deb, apt-ftparchive (apt-utils), gpg.
 * It must not touch anything outside its temporary directory.
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface DebPackage {
  readonly name: string;
  readonly version: string;
  readonly depends?: string;
  /** Files the package installs (absolute paths on the host), e.g. a test double's executables. */
  readonly files?: readonly { readonly path: string; readonly content: string; readonly mode?: number }[];
  /** Architecture (default all). */
  readonly arch?: string;
}

export interface AptTestRepo {
  /** http://ADDRESS:PORT/ (flat repository root). */
  readonly url: string;
  /** One-line source without options: `deb URL ./`. */
  readonly debLine: string;
  /** The signing key, ASCII-armored and binary (OpenPGP public key). */
  readonly keyArmored: string;
  readonly keyBinary: Buffer;
  /** Paths requested so far (to assert the hosts really used the repository). */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

export const DEFAULT_DEBS: readonly DebPackage[] = [
  { name: 'k3play-dep', version: '1.0' },
  { name: 'k3play-demo', version: '1.0', depends: 'k3play-dep' },
  { name: 'k3play-demo', version: '1.1', depends: 'k3play-dep' },
];

async function buildDeb(work: string, out: string, p: DebPackage): Promise<void> {
  const root = path.join(work, `${p.name}_${p.version}`);
  await mkdir(path.join(root, 'DEBIAN'), { recursive: true });
  await mkdir(path.join(root, 'usr/share', p.name), { recursive: true });
  const control = [
    `Package: ${p.name}`,
    `Version: ${p.version}`,
    `Architecture: ${p.arch ?? 'all'}`,
    'Maintainer: k3play tests <tests@k3play.invalid>',
    ...(p.depends ? [`Depends: ${p.depends}`] : []),
    `Description: k3play test package ${p.name} ${p.version}`,
    '',
  ].join('\n');
  await writeFile(path.join(root, 'DEBIAN/control'), control);
  await writeFile(path.join(root, 'usr/share', p.name, 'version'), `${p.version}\n`);
  for (const f of p.files ?? []) {
    const dest = path.join(root, f.path);
    await mkdir(path.dirname(dest), { recursive: true });
    await writeFile(dest, f.content, { mode: f.mode ?? 0o644 });
  }
  await run('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', root, path.join(out, `${p.name}_${p.version}_${p.arch ?? 'all'}.deb`)]);
}

/** `prebuilt`: .deb files (e.g. Debian's own, from debian-debs.ts) copied into the repository as they are. */
export async function buildAptRepo(bindAddress: string, debs: readonly DebPackage[] = DEFAULT_DEBS, prebuilt: readonly string[] = []): Promise<AptTestRepo> {
  const top = await mkdtemp(path.join(tmpdir(), 'k3p-aptrepo-'));
  const repo = path.join(top, 'repo');
  const work = path.join(top, 'work');
  const gnupg = path.join(top, 'g');
  await mkdir(repo);
  await mkdir(work);
  await mkdir(gnupg, { mode: 0o700 });
  const env = { ...process.env, GNUPGHOME: gnupg };
  let server: Server | null = null;
  const cleanup = async (): Promise<void> => {
    if (server) await new Promise<void>((resolve) => server?.close(() => resolve()));
    await run('gpgconf', ['--kill', 'all'], { env }).catch(() => undefined);
    await rm(top, { recursive: true, force: true });
  };
  try {
    for (const d of debs) await buildDeb(work, repo, d);
    for (const f of prebuilt) await copyFile(f, path.join(repo, path.basename(f)));
    const packages = await run('apt-ftparchive', ['packages', '.'], { cwd: repo, maxBuffer: 16 << 20 });
    await writeFile(path.join(repo, 'Packages'), packages.stdout);
    const release = await run('apt-ftparchive', ['-o', 'APT::FTPArchive::Release::Origin=k3play-test', 'release', '.'], { cwd: repo });
    await writeFile(path.join(repo, 'Release'), release.stdout);
    await run('gpg', ['--batch', '--passphrase', '', '--quick-gen-key', 'k3play test repo <repo@k3play.invalid>', 'ed25519', 'sign', '1d'], { env });
    await run('gpg', ['--batch', '--yes', '--clearsign', '-o', path.join(repo, 'InRelease'), path.join(repo, 'Release')], { env });
    await run('gpg', ['--batch', '--yes', '-abs', '-o', path.join(repo, 'Release.gpg'), path.join(repo, 'Release')], { env });
    const keyArmored = (await run('gpg', ['--batch', '--armor', '--export'], { env })).stdout;
    const keyBinary = (await run('gpg', ['--batch', '--export'], { env, encoding: 'buffer' })).stdout;

    const requests: string[] = [];
    server = createServer((req, res) => {
      const rel = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/').replace(/^\/+/, '');
      requests.push(`/${rel}`);
      const file = path.join(repo, rel);
      if (rel.includes('..') || !file.startsWith(repo)) {
        res.writeHead(403).end();
        return;
      }
      stat(file).then(
        (st) => {
          if (!st.isFile()) {
            res.writeHead(404).end();
            return;
          }
          res.writeHead(200, { 'content-length': st.size, 'last-modified': st.mtime.toUTCString() });
          if (req.method === 'HEAD') res.end();
          else createReadStream(file).pipe(res);
        },
        () => res.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server?.once('error', reject);
      server?.listen(0, bindAddress, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const host = bindAddress.includes(':') ? `[${bindAddress}]` : bindAddress;
    const url = `http://${host}:${port}/`;
    return { url, debLine: `deb ${url} ./`, keyArmored, keyBinary: Buffer.from(keyBinary), requests, close: cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** Reads a file of the repository tree (for tests of the builder itself). */
export async function readRepoFile(repoUrl: string, rel: string): Promise<string> {
  const res = await fetch(new URL(rel, repoUrl));
  if (!res.ok) throw new Error(`GET ${rel}: ${res.status}`);
  return res.text();
}

