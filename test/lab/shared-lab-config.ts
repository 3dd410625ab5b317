/**
 * The one shared lab of a vitest run: its size and where its state lives. Kept apart so the
 * global setup (main process) and the test files (workers) agree without importing each other.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHARED_LAB = {
  /** K3PLAY_TEST_LAB names it differently, so two vitest runs on one machine do not share hosts. */
  name: process.env['K3PLAY_TEST_LAB'] ?? 'vitest',
  full: 5,
  light: 30,
  topology: 'default',
  /** <repo>/.k3play/lab (gitignored), unless K3PLAY_LAB_STATE is set. */
  stateDir: process.env['K3PLAY_LAB_STATE'] ?? join(fileURLToPath(new URL('../..', import.meta.url)), '.k3play', 'lab'),
} as const;
