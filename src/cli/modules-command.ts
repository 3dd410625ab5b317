/**
 * `k3play modules [NAME]`: the module list, or one module's reference generated from its schema.
 */
import { ExitCode, K3playError } from '../errors/k3play-error.js';
import { moduleRegistry } from '../../modules/index.js';
import { moduleList, moduleReference } from './module-reference.js';
import { didYouMean } from '../errors/did-you-mean.js';

export async function modulesCommand(name: string | undefined): Promise<number> {
  if (!name) {
    process.stdout.write(moduleList(moduleRegistry));
    return ExitCode.ok;
  }
  const mod = moduleRegistry.get(name);
  if (!mod) {
    throw new K3playError({ message: `unknown module "${name}"`, hint: didYouMean(name, moduleRegistry.keys()) || 'run "k3play modules" for the list' });
  }
  process.stdout.write(moduleReference(mod));
  return ExitCode.ok;
}
