/**
 * The layout of a k3s release, as the install script (get.k3s.io) uses it, pure:
 *   <mirror>/<version, "+" URL-encoded>/k3s{,-arm64,-armhf,-s390x}
 *   <mirror>/<version>/sha256sum-<arch>.txt      ("<sha256>  <file>" lines)
 *   <mirror>/<version>/k3s-airgap-images-<arch>.tar{.zst,.gz,}
 * and the host architectures it supports (`uname -m` -> release arch + binary suffix).
 */

export const DEFAULT_MIRROR = 'https://github.com/k3s-io/k3s/releases/download';

export interface ReleaseArch {
  /** amd64 | arm64 | arm | s390x: the name in sha256sum-<arch>.txt and the images file. */
  readonly arch: string;
  /** Binary file name in the release: k3s, k3s-arm64, k3s-armhf, k3s-s390x. */
  readonly binary: string;
}

/** Release arch -> binary file name. */
export const RELEASE_BINARIES: Readonly<Record<string, string>> = { amd64: 'k3s', arm64: 'k3s-arm64', arm: 'k3s-armhf', s390x: 'k3s-s390x' };

/** As setup_verify_arch in the install script; null for an unsupported machine. */
export function releaseArch(unameM: string): ReleaseArch | null {
  const arch = ['amd64', 'x86_64'].includes(unameM) ? 'amd64' : ['arm64', 'aarch64'].includes(unameM) ? 'arm64' : unameM === 's390x' ? 's390x' : unameM.startsWith('arm') ? 'arm' : null;
  return arch === null ? null : { arch, binary: RELEASE_BINARIES[arch]! };
}

export function releaseUrl(mirror: string, version: string, file: string): string {
  return `${mirror.replace(/\/+$/, '')}/${encodeURIComponent(version)}/${file}`;
}

export function checksumFile(arch: string): string {
  return `sha256sum-${arch}.txt`;
}

/** Images archive names, most preferred first (k3s imports any of them from agent/images). */
export function imageFiles(arch: string): string[] {
  return [`k3s-airgap-images-${arch}.tar.zst`, `k3s-airgap-images-${arch}.tar.gz`, `k3s-airgap-images-${arch}.tar`];
}

/** file name -> sha256, from a sha256sum-<arch>.txt text; malformed lines are errors. */
export function parseChecksums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [n, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const m = /^([0-9a-fA-F]{64})\s+\*?(\S+)$/.exec(line);
    if (!m) throw new Error(`line ${n + 1} is not "<sha256>  <file>": ${JSON.stringify(line.slice(0, 80))}`);
    out.set(m[2]!, m[1]!.toLowerCase());
  }
  return out;
}

export const VERSION_PATTERN = '^v\\d+\\.\\d+\\.\\d+(-rc\\d+)?\\+k3s\\d+$';

/** "k3s version v1.28.4+k3s2 (6ba6c1b6)" -> "v1.28.4+k3s2"; null when the text is not that. */
export function parseVersionOutput(text: string): string | null {
  const m = /^k3s version (v\S+)/m.exec(text);
  return m ? m[1]! : null;
}
