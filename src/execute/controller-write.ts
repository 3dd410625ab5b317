/**
 * The engine's one writer of CONTROLLER files (ControllerPutStep): atomic (temp file in the same
 * directory, fsync, chmod, rename), parent directories created 0700. A killed run leaves the old
 * or the new file, never a partial one. Runs only from apply-steps.ts, so never in check mode.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export async function writeControllerFile(file: string, content: string | Buffer, mode: string): Promise<void> {
  if (!path.isAbsolute(file)) throw new Error(`controller file path must be absolute: ${file}`);
  const m = Number.parseInt(mode, 8);
  if (!/^0?[0-7]{3,4}$/.test(mode) || Number.isNaN(m)) throw new Error(`bad mode ${JSON.stringify(mode)} for ${file}`);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.k3play-${randomBytes(6).toString('hex')}`);
  try {
    const fh = await open(tmp, 'wx', m);
    try {
      await fh.writeFile(content);
      await fh.chmod(m); // the umask may have narrowed the mode given to open
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
