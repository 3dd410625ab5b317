/**
 * RunEvent: everything the engine tells the world. The engine emits these and prints nothing;
 * reporters (plain, json, listr2) render them. Events are masked (secrets, no_log) before any
 * reporter sees them (see event-bus.ts). The JSON reporter writes them as they are: this shape
 * is a documented, stable interface (docs in README "JSON output").
 */
import type { FileDiff } from '../module-api/types.js';

export type HostStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

export interface HostRecap {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export interface RunStartEvent {
  readonly type: 'run_start';
  readonly runId: string;
  readonly playbook: string;
  readonly check: boolean;
  readonly diff: boolean;
  readonly time: string;
}

export interface PlayStartEvent {
  readonly type: 'play_start';
  readonly play: string;
  readonly hosts: readonly string[];
  /** Present when `serial` splits the play: 1-based batch index and count. */
  readonly batch?: { readonly index: number; readonly count: number };
}

export interface TaskStartEvent {
  readonly type: 'task_start';
  readonly play: string;
  /** Display name: the task's name, else `module` (as ansible-playbook). */
  readonly task: string;
  readonly module: string;
  readonly hosts: readonly string[];
  /** file:line:col of the task. */
  readonly loc: string;
  readonly handler?: boolean;
}

export interface HostResultEvent {
  readonly type: 'host_result';
  readonly task: string;
  readonly module: string;
  readonly host: string;
  readonly status: HostStatus;
  /** In check mode, `changed` means "would change". */
  readonly check?: boolean;
  /** What changed (or would change). */
  readonly changes: readonly { readonly summary: string; readonly diff?: FileDiff }[];
  /** Failure or skip reason, or a debug message. */
  readonly msg?: string;
  readonly hint?: string;
  /** loop item label, when the task loops. */
  readonly item?: string;
  readonly rc?: number;
  readonly stdout?: string;
  readonly stderr?: string;
  /** Failed but ignore_errors: counted as ignored, the host goes on. */
  readonly ignored?: boolean;
  /** Check mode: an earlier task on this host would change, so this result may not hold. */
  readonly afterPendingChange?: boolean;
  readonly delegatedTo?: string;
  readonly durationMs: number;
}

export interface TaskEndEvent {
  readonly type: 'task_end';
  readonly task: string;
  /** From task_start to the last host's result (the task's wall time over all its hosts). */
  readonly durationMs: number;
}

export interface PlayEndEvent {
  readonly type: 'play_end';
  readonly play: string;
}

export interface WarningEvent {
  readonly type: 'warning';
  readonly host?: string;
  readonly message: string;
}

export interface RunEndEvent {
  readonly type: 'run_end';
  readonly recap: Readonly<Record<string, HostRecap>>;
  readonly durationMs: number;
  readonly exitCode: number;
}

export type RunEvent =
  | RunStartEvent
  | PlayStartEvent
  | TaskStartEvent
  | HostResultEvent
  | TaskEndEvent
  | PlayEndEvent
  | WarningEvent
  | RunEndEvent;

/** A reporter consumes events; `finish` flushes (awaited before the process exits). */
export interface Reporter {
  handle(event: RunEvent): void;
  finish(): Promise<void>;
}

export function emptyRecap(): HostRecap {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
}
