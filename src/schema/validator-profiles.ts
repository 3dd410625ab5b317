/**
 * The two ways k3play validates with ajv, as data shared by the runtime and the build step that
 * precompiles validators (scripts/build-validators.mjs): `load` checks the YAML as written
 * (no coercion, no defaults: errors point at what the user wrote), `run` checks rendered module
 * args per host (coerces INI strings, fills defaults). Changing an option here changes both.
 */
import { createHash } from 'node:crypto';
import type { Options, SchemaObject } from 'ajv';

export type ValidatorProfile = 'load' | 'run';

export const AJV_OPTIONS: Readonly<Record<ValidatorProfile, Options>> = {
  load: { allErrors: true, verbose: true, coerceTypes: false, strict: false, useDefaults: false },
  run: { allErrors: true, coerceTypes: true, useDefaults: true, strict: false },
};

/** The key of a schema's precompiled validator: profile + a hash of the schema's JSON. */
export function validatorKey(profile: ValidatorProfile, schema: SchemaObject): string {
  return `v_${profile}_${createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 24)}`;
}
