/**
 * A machine-wide lock around "choose a free lab /16 and put the bridge address on it", so two
 * labs started at the same moment (two test runs, two checkouts) never pick the same network.
 * The lock is a file created with O_EXCL holding the owner's pid and start time; a lock whose
 * owner is gone is taken over. It guards only that short critical section; nothing else.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { K3playError, ExitCode } from '../errors/k3play-error.js';
import { isAlive, procIdentity } from './process-info.js';

export const NET_LOCK_FILE = '/run/k3play-lab-net.lock';
const WAIT_MS = 60_000;

export async function withLabNetLock<T>(fn: () => Promise<T>, file: string = NET_LOCK_FILE): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  const me = procIdentity(process.pid);
  const stamp = `${process.pid} ${me?.startTime ?? ''}\n`;
  for (;;) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      writeSync(fd, stamp);
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (ownerGone(file)) {
        try {
          unlinkSync(file);
        } catch {
          // another waiter removed it first
        }
        continue;
      }
      if (Date.now() > deadline) {
        throw new K3playError(
          { context: 'lab network', message: `another lab has held ${file} for over ${WAIT_MS / 1000} s`, hint: `if no other \`k3play lab up\` is running, remove ${file}` },
          ExitCode.internal,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    try {
      if (readFileSync(file, 'utf8') === stamp) unlinkSync(file);
    } catch {
      // already gone
    }
  }
}

function ownerGone(file: string): boolean {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false; // vanished between open and read: retry
  }
  const [pid, start] = text.trim().split(' ');
  // An empty file: its owner is between open and write, or died there (then it is old).
  if (!pid) {
    try {
      return Date.now() - statSync(file).mtimeMs > 5_000;
    } catch {
      return false;
    }
  }
  return !isAlive(Number(pid), start ?? '');
}
