/**
 * The lab needs root on Linux (network namespaces, bridges, overlay mounts, nspawn). This file
 * only checks that and reports a clear K3playError otherwise; it changes nothing.
 */
import { K3playError, ExitCode } from '../errors/k3play-error.js';

export function labUnsupportedReason(): string | null {
  if (process.platform !== 'linux') return `the lab needs Linux (this is ${process.platform})`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'the lab needs root (network namespaces, bridges, mounts)';
  return null;
}

export function requireLabSupport(): void {
  const reason = labUnsupportedReason();
  if (reason !== null) {
    throw new K3playError(
      { context: 'lab', message: reason, hint: 'run the lab as root on a Linux machine, or set K3PLAY_SKIP_LAB=1 to skip lab tests' },
      ExitCode.invalidInput,
    );
  }
}
