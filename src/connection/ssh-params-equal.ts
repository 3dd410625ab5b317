/**
 * Whether two resolved SshParams reach the same host the same way: every field equal, nested
 * jump hosts too, Secrets by their values (compared in memory, never printed). Used to decide
 * whether a connection opened early (SshPool.warm) is the one the engine asks for.
 */
import { Secret } from '../module-api/secret.js';
import type { SshParams } from './ssh-connection.js';

export function sameSshParams(a: SshParams, b: SshParams): boolean {
  return same(a, b);
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Secret || b instanceof Secret) return a instanceof Secret && b instanceof Secret && a.reveal() === b.reveal();
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
