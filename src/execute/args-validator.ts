/**
 * Runtime validation of rendered module args against the module's JSON schema. Load-time
 * validation (src/playbook) cannot check templated values; this runs after rendering, per host,
 * with type coercion (INI inventory values are strings: "1" may fill an integer arg).
 * Compiled validators are cached per module (compiling is the expensive part; `npm run build`
 * precompiles them, see src/schema/precompiled-validators.ts).
 */
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import type { ModuleDef } from '../module-api/types.js';
import { MASK, Secret } from '../module-api/secret.js';
import { precompiledValidator } from '../schema/precompiled-validators.js';
import { AJV_OPTIONS } from '../schema/validator-profiles.js';

let ajv: Ajv | undefined;
const cache = new Map<string, ValidateFunction>();

/**
 * Validates (and coerces, in place) `args`. A Secret (vault value, secret variable) counts as a
 * string for the schema: it is swapped for a placeholder string during validation and put back
 * afterwards, so the module receives the Secret and its value never meets ajv's messages.
 */
export function validateModuleArgs(mod: ModuleDef<unknown, unknown>, args: Record<string, unknown>): string[] {
  let validate = cache.get(mod.name);
  if (!validate) {
    validate = precompiledValidator('run', mod.args);
    if (!validate) {
      ajv ??= new Ajv(AJV_OPTIONS.run);
      validate = ajv.compile(mod.args);
    }
    cache.set(mod.name, validate);
  }
  const secrets: { parent: Record<string, unknown> | unknown[]; key: string | number; secret: Secret }[] = [];
  swapSecrets(args, secrets);
  const ok = validate(args);
  for (const s of secrets) (s.parent as Record<string | number, unknown>)[s.key] = s.secret;
  if (ok) return [];
  return (validate.errors ?? []).map(describeAjvError);
}

function swapSecrets(v: unknown, out: { parent: Record<string, unknown> | unknown[]; key: string | number; secret: Secret }[]): void {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      if (x instanceof Secret) {
        out.push({ parent: v, key: i, secret: x });
        v[i] = MASK;
      } else swapSecrets(x, out);
    });
  } else if (v !== null && typeof v === 'object' && !(v instanceof Buffer) && !(v instanceof Secret)) {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const x = o[k];
      if (x instanceof Secret) {
        out.push({ parent: o, key: k, secret: x });
        o[k] = MASK;
      } else swapSecrets(x, out);
    }
  }
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
