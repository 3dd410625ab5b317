/**
 * What lab integration tests import: `getSharedLab()` returns the run's one shared lab (made
 * by global-setup.ts) or the reason lab tests are skipped; `labSsh` runs a command on a lab
 * host with the real OpenSSH client and strict host key checking. Tests must leave the shared
 * hosts as they found them (e.g. move an address back after labIp).
 */
import { execFile } from 'node:child_process';
import { inject } from 'vitest';
import type { LabState } from '../../src/lab/lab-state.js';
import { sshArgv } from '../../src/lab/lab.js';

export type SharedLabInfo =
  | { readonly skip: string }
  | { readonly state: LabState; readonly upMs: number; readonly baseBuildMs: number | null };

declare module 'vitest' {
  export interface ProvidedContext {
    k3playLab: SharedLabInfo;
  }
}

const NOT_WIRED =
  'lab tests skipped: the shared lab is not set up (run them through the vitest project "lab", whose globalSetup is test/lab/global-setup.ts)';

/** The shared lab, or `{ skip }` with a message saying why there is none. */
export function getSharedLab(): SharedLabInfo {
  const info = inject('k3playLab') as SharedLabInfo | undefined;
  return info ?? { skip: NOT_WIRED };
}

/** Reason to skip, or null when the shared lab is up; use with describe.skipIf. */
export function sharedLabSkipReason(): string | null {
  const info = getSharedLab();
  return 'skip' in info ? info.skip : null;
}

/** The shared lab's state; throws when there is none (call after a skip check). */
export function sharedLabState(): LabState {
  const info = getSharedLab();
  if ('skip' in info) throw new Error(info.skip);
  return info.state;
}

export interface SshResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `ssh -i KEY -o UserKnownHostsFile=<lab known_hosts> -o StrictHostKeyChecking=yes root@IP command`. */
export function labSsh(state: LabState, host: string, command: string, timeoutMs = 60_000): Promise<SshResult> {
  const h = state.hosts.find((x) => x.name === host);
  if (!h) return Promise.reject(new Error(`no lab host ${host}`));
  const [file, ...args] = sshArgv(state, h);
  return new Promise((resolve) => {
    execFile(file!, [...args, command], { timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 255) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
