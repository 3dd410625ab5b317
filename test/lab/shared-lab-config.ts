/**
 * The one shared lab of a vitest run: its size and where its state lives. Kept apart so the
 * global setup (main process) and the test files (workers) agree without importing each other.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Name of a lab a test makes: `base` with K3PLAY_TEST_LAB_PREFIX in front (1-3 letters), so two
 * test runs on one machine (two checkouts) never share a bridge or netns names. Lab names are
 * at most 10 characters; keep `base` at 7 or fewer.
 */
export function testLabName(base: string): string {
  const name = `${process.env['K3PLAY_TEST_LAB_PREFIX'] ?? ''}${base}`;
  if (name.length > 10) throw new Error(`test lab name "${name}" is longer than 10 characters: shorten "${base}" or the prefix`);
  return name;
}

export const SHARED_LAB = {
  /** K3PLAY_TEST_LAB names it differently, so two vitest runs on one machine do not share hosts. */
  name: process.env['K3PLAY_TEST_LAB'] ?? testLabName('vitest'),
  full: 5,
  light: 30,
  topology: 'default',
  /** <repo>/.k3play/lab (gitignored), unless K3PLAY_LAB_STATE is set. */
  stateDir: process.env['K3PLAY_LAB_STATE'] ?? join(fileURLToPath(new URL('../..', import.meta.url)), '.k3play', 'lab'),
} as const;
