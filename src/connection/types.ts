/**
 * The Connection contract: how the engine talks to a host. Implementations: local
 * (child_process), ssh (ssh2, persistent remote shell), fake (unit tests only).
 *
 * - `exec` never rejects on a non-zero exit: the exit code is often the answer. It rejects
 *   only when the host cannot be reached or the command cannot be started (HostUnreachable).
 * - `put` is atomic: temp file in the same directory, fsync, chmod/chown, rename. A killed run
 *   leaves the old or the new file, never a partial one.
 * - Secrets are passed on stdin or in files, never in argv or environment.
 */
import type { ShellScript } from '../module-api/shell-quote.js';

export type Command = readonly string[] | ShellScript;

export interface ExecOptions {
  /** Run as root (or `becomeUser`) through the become method. */
  readonly sudo?: boolean;
  readonly becomeUser?: string;
  readonly stdin?: string | Buffer;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

export interface PutOptions {
  /** Octal string, e.g. "0644". Default: keep the existing file's mode, else 0644. */
  readonly mode?: string;
  readonly owner?: string;
  readonly group?: string;
  readonly sudo?: boolean;
  readonly becomeUser?: string;
}

export interface Connection {
  /** Inventory name of the host. */
  readonly host: string;
  exec(cmd: Command, opts?: ExecOptions): Promise<ExecResult>;
  put(path: string, content: string | Buffer, opts?: PutOptions): Promise<void>;
  /** File content, or null when it does not exist. */
  get(path: string, opts?: { sudo?: boolean }): Promise<Buffer | null>;
  close(): Promise<void>;
}

/** Thrown by a Connection when the host cannot be reached at all. */
export class HostUnreachable extends Error {
  constructor(
    readonly host: string,
    readonly reason: string,
  ) {
    super(`${host}: unreachable: ${reason}`);
    this.name = 'HostUnreachable';
  }
}
