/**
 * Runtime validation of rendered module args against the module's JSON schema. Load-time
 * validation (src/playbook) cannot check templated values; this runs after rendering, per host,
 * with type coercion (INI inventory values are strings: "1" may fill an integer arg).
 * Compiled validators are cached per module (compiling is the expensive part).
 */
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import type { ModuleDef } from '../module-api/types.js';

const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false });
const cache = new Map<string, ValidateFunction>();

export function validateModuleArgs(mod: ModuleDef<unknown, unknown>, args: Record<string, unknown>): string[] {
  let validate = cache.get(mod.name);
  if (!validate) {
    validate = ajv.compile(mod.args);
    cache.set(mod.name, validate);
  }
  if (validate(args)) return [];
  return (validate.errors ?? []).map(describeAjvError);
}

function describeAjvError(e: ErrorObject): string {
  const path = e.instancePath === '' ? 'args' : `args${e.instancePath.replace(/\//g, '.')}`;
  switch (e.keyword) {
    case 'required':
      return `args: missing required argument "${(e.params as { missingProperty: string }).missingProperty}"`;
    case 'additionalProperties':
      return `args: unknown argument "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    case 'enum':
      return `${path}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${path}: ${e.message ?? 'is invalid'}`;
  }
}
