/**
 * Validators compiled at build time. Compiling a JSON schema with ajv generates and evals code:
 * 10-40 ms per schema, paid on every `k3play run` for the playbook shape and for each module
 * used (twice: load and run profiles). `npm run build` writes them all once, as standalone ajv
 * code, to dist/validators.cjs (scripts/build-validators.mjs); this file finds that file from
 * the running code's location (dist/src/... or the bundle in dist/bundle/...) and hands out a
 * validator by schema key. Not found (source runs under vitest, a schema added without a
 * rebuild): undefined, and the caller compiles as before — same options, same results.
 */
import { createRequire } from 'node:module';
import type { SchemaObject, ValidateFunction } from 'ajv';
import { validatorKey, type ValidatorProfile } from './validator-profiles.js';

type Table = Readonly<Record<string, ValidateFunction>>;
let table: Table | null | undefined;

function load(): Table | null {
  const here = new URL(import.meta.url).pathname;
  const at = here.lastIndexOf('/dist/');
  if (at < 0) return null;
  try {
    return createRequire(import.meta.url)(`${here.slice(0, at)}/dist/validators.cjs`) as Table;
  } catch {
    return null;
  }
}

export function precompiledValidator(profile: ValidatorProfile, schema: SchemaObject): ValidateFunction | undefined {
  if (table === undefined) table = load();
  return table?.[validatorKey(profile, schema)];
}
