/**
 * The controller side of an air-gapped install (k3s_install's `prepare`): reads the release
 * files in airgap_dir, checks each against its sha256sum-<arch>.txt, and hands the verified
 * bytes to plan as `airgap` (per arch). A file whose sha256 differs is refused here, before any
 * host is touched. It never contacts a host.
 */
import { createHash } from 'node:crypto';
import { TaskFailure, type ControllerContext } from '../../src/module-api/index.js';
import { withoutEmpty, type AirgapArch, type K3sInstallArgs } from './args.js';
import { checksumFile, imageFiles, parseChecksums, RELEASE_BINARIES } from './release.js';

export async function prepareAirgap(given: K3sInstallArgs, ctx: ControllerContext): Promise<K3sInstallArgs> {
  const args = withoutEmpty(given);
  if (args.airgap_dir === undefined) return args;
  const dir = ctx.resolvePath(args.airgap_dir, 'files');
  const out: Record<string, AirgapArch> = {};
  for (const [arch, binaryName] of Object.entries(RELEASE_BINARIES)) {
    const sumsFile = `${dir}/${checksumFile(arch)}`;
    const sumsText = await readOptional(ctx, sumsFile);
    if (sumsText === null) continue;
    let sums: Map<string, string>;
    try {
      sums = parseChecksums(sumsText.toString('utf8'));
    } catch (e) {
      throw new TaskFailure(`airgap: ${sumsFile} is not a k3s checksum file: ${(e as Error).message}`);
    }
    const binary = await readOptional(ctx, `${dir}/${binaryName}`);
    if (binary === null) continue;
    const binarySha256 = verified(binary, binaryName, sums, dir, arch);
    let images: AirgapArch['images'];
    if (args.airgap_images !== false) {
      for (const name of imageFiles(arch)) {
        const content = await readOptional(ctx, `${dir}/${name}`);
        if (content === null) continue;
        images = { name, content, sha256: verified(content, name, sums, dir, arch) };
        break;
      }
    }
    out[arch] = { binaryName, binary, binarySha256, ...(images ? { images } : {}) };
  }
  if (Object.keys(out).length === 0) {
    throw new TaskFailure(`airgap_dir ${dir} has no k3s release files`, 'put the release files there: k3s (or k3s-arm64, ...), sha256sum-<arch>.txt and optionally k3s-airgap-images-<arch>.tar.zst');
  }
  return { ...args, airgap: out };
}

function verified(content: Buffer, name: string, sums: Map<string, string>, dir: string, arch: string): string {
  const want = sums.get(name);
  const got = createHash('sha256').update(content).digest('hex');
  if (want === undefined) throw new TaskFailure(`airgap: ${checksumFile(arch)} in ${dir} has no entry for ${name}`, 'use the checksum file of the same release as the binary');
  if (want !== got) {
    throw new TaskFailure(
      `airgap: ${dir}/${name} has sha256 ${got}, but ${checksumFile(arch)} says ${want}: refusing to install it (nothing was sent to the host)`,
      'the file is corrupt or from another release: fetch it again from the release page, next to its sha256sum file',
    );
  }
  return got;
}

async function readOptional(ctx: ControllerContext, path: string): Promise<Buffer | null> {
  try {
    return await ctx.readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new TaskFailure(`airgap: cannot read ${path}: ${(e as Error).message}`);
  }
}
