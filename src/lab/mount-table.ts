/**
 * Reads /proc/mounts (octal escapes decoded) and unmounts what lies under a directory, deepest
 * first. Used before any recursive delete, so a stray bind mount (debootstrap's /proc, a lab
 * host's overlay) is never deleted through. It never unmounts outside the given directory.
 */
import { readFileSync } from 'node:fs';
import { runCommand } from './run-command.js';

export function mountPoints(): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => decodeMountPath(l.split(' ')[1] ?? ''));
}

export function decodeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function mountsUnder(dir: string): string[] {
  const base = dir.replace(/\/+$/, '');
  return mountPoints().filter((m) => m === base || m.startsWith(`${base}/`));
}

/** Unmounts every mount at or below `dir`, deepest first; lazy only as a last resort. Returns what stayed. */
export async function unmountUnder(dir: string): Promise<string[]> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const ms = [...new Set(mountsUnder(dir))].sort((a, b) => b.length - a.length);
    if (ms.length === 0) return [];
    for (const m of ms) {
      const r = await runCommand(['umount', m]);
      if (r.exitCode !== 0 && attempt >= 3) await runCommand(['umount', '-l', m]);
    }
    if (attempt > 0) await new Promise((r) => setTimeout(r, 200 * attempt));
  }
  return mountsUnder(dir);
}
