/**
 * Validators compiled at build time. Compiling a JSON schema with ajv generates and evals code:
 * 10-40 ms per schema, paid on every `k3play run` for the playbook shape and for each module
 * used (twice: load and run profiles). `npm run build` writes each once, as standalone ajv code,
 * to dist/validators/<key>.cjs (scripts/build-validators.mjs); this file finds that directory
 * from the running code's location (dist/src/... or the bundle in dist/bundle/...) and loads
 * the validator of a schema key when first asked (the CLI bundle has them built in:
 * bundled-validators.ts). Not found (source runs under vitest, a schema added without a
 * rebuild): undefined, and the caller compiles as before — same options, same results.
 */
import { createRequire } from 'node:module';
import type { SchemaObject, ValidateFunction } from 'ajv';
import { bundledValidators } from './bundled-validators.js';
import { validatorKey, type ValidatorProfile } from './validator-profiles.js';

const cache = new Map<string, ValidateFunction | null>();
let dir: string | null | undefined;
const hasBundled = Object.keys(bundledValidators).length > 0;

function validatorsDir(): string | null {
  const here = new URL(import.meta.url).pathname;
  const at = here.lastIndexOf('/dist/');
  return at < 0 ? null : `${here.slice(0, at)}/dist/validators`;
}

export function precompiledValidator(profile: ValidatorProfile, schema: SchemaObject): ValidateFunction | undefined {
  if (dir === undefined) dir = validatorsDir();
  if (dir === null && !hasBundled) return undefined;
  const key = validatorKey(profile, schema);
  const bundled = bundledValidators[key];
  let fn = cache.get(key);
  if (fn === undefined) {
    try {
      const mod = (bundled ? bundled() : createRequire(import.meta.url)(`${dir}/${key}.cjs`)) as { default?: ValidateFunction } & ValidateFunction;
      fn = mod.default ?? mod;
    } catch {
      fn = null;
    }
    cache.set(key, fn);
  }
  return fn ?? undefined;
}
