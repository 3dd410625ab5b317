/**
 * Everything a module may import. Modules import nothing else from src/: this keeps the
 * dependency direction `execute -> plan -> module-api <- modules`.
 */
import type { ModuleDef } from './types.js';

export type { ModuleDef, Probe, Change, Step, ExecStep, PutStep, RemoveStep, ControllerPutStep, FileDiff, ControllerContext } from './types.js';
export { TaskFailure } from './types.js';
export { Secret, isSecret, MASK } from './secret.js';
export { sh, rawScript, shellQuote, shellJoin, isShellScript, type ShellScript } from './shell-quote.js';
export type { ExecResult } from '../connection/types.js';
export { didYouMean } from '../errors/did-you-mean.js';

/** Identity with types: `export default defineModule<Args, Current>({...})`. */
export function defineModule<Args, Current>(def: ModuleDef<Args, Current>): ModuleDef<Args, Current> {
  return def;
}
