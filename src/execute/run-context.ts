/**
 * What the runners share during one run: options, the event sink, hosts, modules, and the
 * connection provider. Built once by run-playbook.ts; passed explicitly (no ambient state).
 */
import type { LimitFunction } from 'p-limit';
import type { Connection } from '../connection/types.js';
import type { FactsCache } from '../facts/facts-cache.js';
import type { SourceLocation } from '../errors/source-location.js';
import type { Inventory } from '../inventory/types.js';
import type { ModuleDef } from '../module-api/types.js';
import type { Play } from '../playbook/types.js';
import type { RunEvent } from '../report/run-event.js';
import type { HostRun } from './host-run.js';
import type { RunOptions } from './run-options.js';
import type { TagSelection } from './tag-filter.js';

export interface RunContext {
  readonly opts: RunOptions;
  readonly emit: (e: RunEvent) => void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly modules: ReadonlyMap<string, ModuleDef<any, any>>;
  readonly inventory: Inventory;
  /** Every inventory host, by name (delegate_to and hostvars need hosts outside the play). */
  readonly hosts: ReadonlyMap<string, HostRun>;
  /** group name -> host names, for templates (`groups`). */
  readonly groups: Readonly<Record<string, readonly string[]>>;
  readonly connect: (h: HostRun) => Promise<Connection>;
  /** --forks */
  readonly limit: LimitFunction;
  readonly tagSel: TagSelection;
  readonly playbookDir: string;
  /** Per-run and persistent facts; `forgetHost` after a change on a host (its facts are stale). */
  readonly facts: FactsCache;
  /** Set when the whole run must stop (max_fail_percentage exceeded, abort). */
  stopRun: boolean;
}

/** Per play (per serial batch): the play, its rendered-at-use vars, and stop flags. */
export interface PlayContext {
  readonly run: RunContext;
  readonly play: Play;
  /** play vars + vars_files, raw (trusted templates). */
  readonly vars: Readonly<Record<string, unknown>>;
  /** The hosts of the current batch. */
  readonly batch: readonly HostRun[];
  stopPlay: boolean;
}

/** Keywords inherited from plays and blocks down to each task. */
export interface Scope {
  readonly when: readonly { readonly text: string; readonly loc: SourceLocation }[];
  readonly tags: readonly string[];
  readonly vars: readonly Readonly<Record<string, unknown>>[];
  readonly become?: boolean;
  readonly becomeUser?: string;
  readonly ignoreErrors?: boolean;
  readonly noLog?: boolean;
  readonly checkMode?: boolean;
  readonly environment?: Readonly<Record<string, unknown>>;
  readonly delegateTo?: string;
  readonly runOnce?: boolean;
  readonly anyErrorsFatal?: boolean;
}
