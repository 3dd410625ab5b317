/**
 * The module contract (see ARCHITECTURE.md). A module is `read` (asks the host, writes nothing)
 * plus a pure `plan` (returns the changes as data). The engine is the only writer: it runs the
 * Steps of each Change. Check mode is the engine stopping after `plan`; a module never asks
 * whether it is in check mode.
 */
import type { SchemaObject } from 'ajv';
import type { Command, ExecOptions, ExecResult } from '../connection/types.js';
import type { Secret } from './secret.js';

/** What `read` may use: ask the host, never change it. */
export interface Probe {
  /** Inventory name of the host being read. */
  readonly host: string;
  /** Run a read-only command. Aim for ONE call per read (one round trip): batch into one sh`` script. */
  exec(cmd: Command, opts?: Omit<ExecOptions, 'stdin'> & { stdin?: string }): Promise<ExecResult>;
}

/** One primitive write the engine performs. Steps are data: printed by `--check -v`, compared in tests. */
export type Step = ExecStep | PutStep | RemoveStep | ControllerPutStep;

export interface ExecStep {
  readonly kind: 'exec';
  readonly cmd: Command;
  /** Fed on stdin; a Secret is revealed only into the pipe. */
  readonly stdin?: string | Secret;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Exit codes that count as success (default [0]). */
  readonly okExitCodes?: readonly number[];
  /** Re-run until success, for waits during apply (health checks). */
  readonly retry?: { readonly attempts: number; readonly delayMs: number };
  readonly timeoutMs?: number;
}

export interface PutStep {
  readonly kind: 'put';
  readonly path: string;
  readonly content: string | Buffer | Secret;
  /** Octal string, e.g. "0644". */
  readonly mode?: string;
  readonly owner?: string;
  readonly group?: string;
  /** Command run on the temp file before the rename; `%s` is replaced by its path (e.g. "haproxy -c -f %s"). */
  readonly validate?: string;
}

export interface RemoveStep {
  readonly kind: 'remove';
  readonly path: string;
  readonly recursive?: boolean;
}

/**
 * A file written on the CONTROLLER (the machine k3play runs on), not on the host: state a module
 * keeps beside the inventory, e.g. the etcd PKI (a new CA and certificates are saved as part of
 * the change that pushes them). Like every step it runs only in apply, never in check mode;
 * the write is atomic (temp file in the same directory, then rename) and missing parent
 * directories are created with mode 0700. A module that plans this step must look at the same
 * path in `read` so that its re-plan after apply converges.
 */
export interface ControllerPutStep {
  readonly kind: 'controller_put';
  /** Absolute path on the controller. */
  readonly path: string;
  readonly content: string | Buffer | Secret;
  /** Octal string, default "0600" (controller-side state is private unless said otherwise). */
  readonly mode?: string;
}

export interface FileDiff {
  readonly path: string;
  /** null: the file does not exist before (or after). */
  readonly before: string | null;
  readonly after: string | null;
}

export interface Change {
  /** One line for humans: "net.ipv4.ip_forward: 0 -> 1". */
  readonly summary: string;
  /** Exactly what apply runs, in order. */
  readonly steps: readonly Step[];
  readonly diff?: FileDiff;
  /**
   * The outcome is unknown until run (e.g. a command). The engine then skips the
   * converge-again check for this change and reports it as changed.
   */
  readonly maybe?: true;
}

export interface ModuleDef<Args = Record<string, unknown>, Current = unknown> {
  /** Playbook key == folder name under modules/. */
  readonly name: string;
  /** One sentence; feeds `k3play modules` and docs. */
  readonly summary: string;
  /** JSON Schema (ajv, allErrors, coerceTypes for INI strings). Every property has a `description`. */
  readonly args: SchemaObject;
  /**
   * The argument a bare string maps to (`command: /bin/true` -> `{cmd: "/bin/true"}`).
   * Without it, the module's args must be a mapping.
   */
  readonly freeForm?: string;
  /** Argument names holding secrets: masked everywhere, passed only on stdin or in 0600 files. */
  readonly secretArgs?: readonly string[];
  /** Examples for the reference (`k3play modules NAME`), YAML task snippets. */
  readonly examples?: readonly string[];
  /**
   * Optional, runs on the controller before `read`: turns controller-side inputs into args
   * (render a template file, read a local `src` file, compute a checksum). Must not touch hosts.
   */
  prepare?(args: Args, ctx: ControllerContext): Promise<Args>;
  /** Look at the host; no writes. Aim for one round trip. */
  read(probe: Probe, args: Args): Promise<Current>;
  /** Pure: compare and decide. [] means converged. May throw TaskFailure. */
  plan(args: Args, current: Current): readonly Change[];
}

/** What `prepare` may use on the controller. */
export interface ControllerContext {
  /** Inventory name of the host the task runs for. */
  readonly host: string;
  /** Absolute path of a controller file named in args: relative paths resolve against the playbook's directory (then its templates/ and files/ subdirectories, as Ansible does). */
  resolvePath(p: string, kind?: 'templates' | 'files'): string;
  readFile(absPath: string): Promise<Buffer>;
  /** Render template text with the task's variables (strict: undefined variables are errors pointing at `file`). */
  renderTemplate(text: string, file: string): string;
}

/** A module's way to fail a task with a clear message (thrown from read or plan). */
export class TaskFailure extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'TaskFailure';
  }
}
