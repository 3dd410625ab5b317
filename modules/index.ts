/**
 * The module registry: every playbook key that maps to a module folder. Adding a module =
 * adding its folder and one line here. Engine actions (set_fact, debug, ...) are not here.
 */
import type { ModuleDef } from '../src/module-api/index.js';
import command from './command/index.js';
import file from './file/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModule = ModuleDef<any, any>;

const modules: readonly AnyModule[] = [command, file];

export const moduleRegistry: ReadonlyMap<string, AnyModule> = new Map(modules.map((m) => [m.name, m]));
