import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildAptRepo, readRepoFile } from './apt-repo.js';

const haveTools = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v dpkg-deb && command -v apt-ftparchive && command -v gpg'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!haveTools)('buildAptRepo', () => {
  it('serves a signed flat repository on loopback and cleans up', async () => {
    const repo = await buildAptRepo('127.0.0.1');
    try {
      expect(repo.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const packages = await readRepoFile(repo.url, 'Packages');
      expect(packages.match(/^Package: k3play-demo$/gm)).toHaveLength(2);
      expect(packages).toMatch(/^Version: 1\.1$/m);
      expect(await readRepoFile(repo.url, 'InRelease')).toMatch(/BEGIN PGP SIGNED MESSAGE[^]*SHA256:/);
      expect(repo.keyArmored).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
      expect(repo.keyBinary[0]! & 0x80).toBe(0x80);
      expect(repo.requests).toContain('/InRelease');
    } finally {
      await repo.close();
    }
  }, 60_000);
});
