// Build step after tsc: precompiles every JSON schema k3play validates with (the playbook shape,
// engine actions, every module's args; both ajv profiles of src/schema/validator-profiles.ts)
// into dist/validators.cjs as standalone ajv code, keyed like precompiledValidator() looks them
// up. Written to a temp file and renamed. Fails loudly when a schema cannot be precompiled.
import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';

const standaloneCode = standaloneModule.default ?? standaloneModule;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const { AJV_OPTIONS, validatorKey } = await import(join(dist, 'src/schema/validator-profiles.js'));
const pb = await import(join(dist, 'src/playbook/playbook-schema.js'));
const { moduleRegistry } = await import(join(dist, 'modules/index.js'));

const load = [pb.playSchema, pb.taskKeywordsSchema, pb.blockKeywordsSchema, pb.taskImportSchema, pb.importPlaybookSchema, ...Object.values(pb.engineActionArgs).map((a) => a.args)];
const modules = [...moduleRegistry.values()].map((m) => m.args);
const sets = { load: [...load, ...modules], run: modules };

let code = "'use strict';\n";
let count = 0;
for (const [profile, schemas] of Object.entries(sets)) {
  const ajv = new Ajv({ ...AJV_OPTIONS[profile], code: { source: true } });
  const refs = {};
  for (const s of schemas) {
    const key = validatorKey(profile, s);
    if (refs[key]) continue;
    ajv.addSchema(s, key);
    refs[key] = key;
    count++;
  }
  // Each profile's code in its own function scope: standalone code declares top-level helpers.
  code += `(function () {\nconst exports = module.exports;\n${standaloneCode(ajv, refs).replace(/^"use strict";/, '')}\n})();\n`;
}
const out = join(dist, 'validators.cjs');
writeFileSync(`${out}.tmp`, code);
renameSync(`${out}.tmp`, out);
console.log(`build-validators: ${count} validators -> dist/validators.cjs`);
