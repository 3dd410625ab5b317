/**
 * Waits until an address answers on TCP 22 with an SSH banner, from the controller (which
 * reaches lab addresses through the bridge address). Only lab or loopback addresses may be
 * passed; this file does not check that, callers do.
 */
import { connect } from 'node:net';

export function sshBanner(ip: string, timeoutMs = 2000): Promise<string | null> {
  return new Promise((resolve) => {
    const sock = connect({ host: ip, port: 22 });
    let buf = '';
    const done = (v: string | null) => {
      sock.destroy();
      resolve(v);
    };
    sock.setTimeout(timeoutMs, () => done(null));
    sock.on('data', (b: Buffer) => {
      buf += b.toString('latin1');
      if (buf.includes('\n')) done(buf.startsWith('SSH-') ? buf.trim() : null);
    });
    sock.on('error', () => done(null));
    sock.on('close', () => done(buf.startsWith('SSH-') ? buf.trim() : null));
  });
}

/** Resolves true once sshd answers, false after `timeoutMs`. */
export async function waitForSsh(ip: string, timeoutMs: number, isStillRunning: () => boolean = () => true): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await sshBanner(ip)) !== null) return true;
    if (!isStillRunning()) return false;
    await new Promise((r) => setTimeout(r, 150));
  }
  return false;
}
