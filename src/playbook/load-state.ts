/**
 * What the loader passes down while it walks a playbook tree: the caller's LoadContext (module
 * registry, cwd), the one ProblemList every check adds to, and where in which file a node sits.
 * No module is imported here: the registry is given by the caller (the CLI passes modules/index.ts).
 */
import type { SchemaObject } from 'ajv';
import type { ProblemList } from '../errors/k3play-error.js';
import type { SourceLocation } from '../errors/source-location.js';
import { engineActionArgs } from './playbook-schema.js';
import { ENGINE_ACTIONS, type EngineAction } from './types.js';
import type { DocPath, SourceDoc } from './yaml-file.js';

/** What the loader needs of a module: its argument schema and free-form argument name. */
export interface ModuleArgsSpec {
  readonly args: SchemaObject;
  readonly freeForm?: string;
}

export interface LoadContext {
  /** Module registry (modules/index.ts `moduleRegistry` fits: a ModuleDef has args + freeForm). */
  readonly modules: ReadonlyMap<string, ModuleArgsSpec>;
  /** Base for relative paths and for the paths shown in messages; default process.cwd(). */
  readonly cwd?: string;
  /**
   * Called with the playbook file's first entry as parsed, before anything is validated (the run
   * starts connecting to that play's hosts while the rest loads). Not called for an empty or
   * malformed file. It must not throw and must not keep the entry.
   */
  readonly onFirstPlay?: (entry: unknown) => void;
}

export interface LoadState {
  readonly modules: ReadonlyMap<string, ModuleArgsSpec>;
  readonly cwd: string;
  readonly problems: ProblemList;
  /**
   * Give the event loop a turn between tasks: set when connections are being warmed up
   * (onFirstPlay), whose SSH handshakes only advance when validation lets I/O callbacks run.
   */
  readonly yieldToIo: boolean;
}

/** One turn of the event loop (its I/O callbacks run), when `st.yieldToIo`. */
export function yieldToIo(st: LoadState): Promise<void> | undefined {
  return st.yieldToIo ? new Promise((resolve) => setImmediate(resolve)) : undefined;
}

/** A node's place: its file, its path in that file, and the files importing it (outermost first). */
export interface Where {
  readonly src: SourceDoc;
  readonly path: DocPath;
  readonly stack: readonly string[];
}

/** Per-play collector for checks that need the whole play (notify -> handler names). */
export interface PlayScope {
  readonly notifies: { readonly name: string; readonly loc: SourceLocation; readonly context: string }[];
}

export function isEngineAction(key: string): key is EngineAction {
  return (ENGINE_ACTIONS as readonly string[]).includes(key);
}

export function actionSpec(st: LoadState, key: string): ModuleArgsSpec | undefined {
  return isEngineAction(key) ? engineActionArgs[key] : st.modules.get(key);
}

export function actionNames(st: LoadState): string[] {
  return [...ENGINE_ACTIONS, ...st.modules.keys()];
}
