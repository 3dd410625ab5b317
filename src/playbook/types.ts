/**
 * The Playbook noun, as loaded and validated from YAML. Values that may hold templates are kept
 * raw (strings with `{{ }}`), rendered per host later by src/template. Every node keeps its
 * SourceLocation so runtime errors can point at the task's line.
 */
import type { SourceLocation } from '../errors/source-location.js';

export interface Playbook {
  /** Path as given by the user. */
  readonly file: string;
  /** Plays in order, with import_playbook already expanded. */
  readonly plays: readonly Play[];
}

export type SerialSpec = number | `${number}%`;

export type HostOrder = 'inventory' | 'reverse_inventory' | 'sorted' | 'reverse_sorted' | 'shuffle';

export interface Play {
  readonly name: string;
  /** Host pattern as written (`servers:&etcd`), may be a template. */
  readonly hosts: string;
  readonly loc: SourceLocation;
  /** Where `hosts:` is written (for inventory pattern errors); added by the playbook loader. */
  readonly hostsLoc?: SourceLocation;
  readonly vars: Readonly<Record<string, unknown>>;
  /** vars_files, resolved relative to the playbook, already loaded into `vars` at load time? No: kept as paths, loaded by the engine (they may be templated). */
  readonly varsFiles: readonly string[];
  readonly gatherFacts: boolean | 'smart';
  readonly become?: boolean;
  readonly becomeUser?: string;
  /** Batch sizes; the last repeats. Empty = all hosts in one batch. */
  readonly serial: readonly SerialSpec[];
  readonly maxFailPercentage?: number;
  readonly anyErrorsFatal: boolean;
  readonly order: HostOrder;
  readonly strategy: 'linear' | 'free';
  readonly tags: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly preTasks: readonly TaskNode[];
  readonly tasks: readonly TaskNode[];
  readonly postTasks: readonly TaskNode[];
  readonly handlers: readonly Task[];
}

export type TaskNode = Task | Block;

/** Keywords shared by tasks and blocks (inherited by a block's children). */
export interface TaskCommon {
  readonly name?: string;
  readonly loc: SourceLocation;
  /** Conditions, all must hold (a list in YAML is ANDed). Raw expression text. */
  readonly when: readonly string[];
  readonly tags: readonly string[];
  readonly become?: boolean;
  readonly becomeUser?: string;
  readonly ignoreErrors?: boolean;
  readonly noLog?: boolean;
  /** Per-task override of --check: true = always check, false = always apply. */
  readonly checkMode?: boolean;
  readonly environment?: Readonly<Record<string, unknown>>;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly delegateTo?: string;
  readonly runOnce?: boolean;
  readonly anyErrorsFatal?: boolean;
}

export interface Task extends TaskCommon {
  readonly kind: 'task';
  /**
   * The playbook key: a module from modules/ or an engine action
   * (set_fact, assert, fail, debug, pause, meta, include_tasks are resolved at load).
   */
  readonly module: string;
  /** Raw args (mapping, or the free-form string mapped to the module's freeForm key). */
  readonly args: Readonly<Record<string, unknown>>;
  readonly argsLoc: SourceLocation;
  readonly loop?: unknown;
  readonly loopControl?: { readonly loopVar: string; readonly label?: string; readonly indexVar?: string; readonly pause?: number };
  readonly register?: string;
  readonly notify: readonly string[];
  /** Handlers only: extra names this handler answers to. */
  readonly listen: readonly string[];
  readonly changedWhen?: readonly string[] | boolean;
  readonly failedWhen?: readonly string[] | boolean;
  readonly until?: readonly string[];
  readonly retries?: number;
  /** Seconds between retries. */
  readonly delay?: number;
}

export interface Block extends TaskCommon {
  readonly kind: 'block';
  readonly block: readonly TaskNode[];
  readonly rescue: readonly TaskNode[];
  readonly always: readonly TaskNode[];
}

/** Names of engine-handled actions that are not modules under modules/. */
export const ENGINE_ACTIONS = ['set_fact', 'assert', 'fail', 'debug', 'pause', 'meta'] as const;
export type EngineAction = (typeof ENGINE_ACTIONS)[number];
