/**
 * When lab tests must be skipped, and why: not Linux, not root, or K3PLAY_SKIP_LAB=1. Shared by
 * the global setup (which then creates nothing) and by test files (describe.skipIf). Reads only.
 */
import { labUnsupportedReason } from '../../src/lab/lab-preconditions.js';

export function labSkipReason(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env['K3PLAY_SKIP_LAB'] === '1') return 'lab tests skipped: K3PLAY_SKIP_LAB=1';
  const r = labUnsupportedReason();
  return r === null ? null : `lab tests skipped: ${r}`;
}
