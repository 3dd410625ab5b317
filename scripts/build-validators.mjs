// Build step after tsc: precompiles every JSON schema k3play validates with (the playbook shape,
// engine actions, every module's args; both ajv profiles of src/schema/validator-profiles.ts)
// into dist/validators/<key>.cjs as standalone ajv code, named as precompiledValidator() looks
// them up. Written to a temp directory and renamed. Fails loudly when a schema cannot be precompiled.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

// One file per validator: a run loads only the ones it uses (all 57 in one file cost a 0.5 MB
// parse on every start).
const outDir = join(dist, 'validators');
const tmpDir = `${outDir}.tmp-${process.pid}`;
rmSync(tmpDir, { recursive: true, force: true });
mkdirSync(tmpDir, { recursive: true });
let count = 0;
for (const [profile, schemas] of Object.entries(sets)) {
  const done = new Set();
  for (const s of schemas) {
    const key = validatorKey(profile, s);
    if (done.has(key)) continue;
    done.add(key);
    const ajv = new Ajv({ ...AJV_OPTIONS[profile], code: { source: true } });
    writeFileSync(join(tmpDir, `${key}.cjs`), standaloneCode(ajv, ajv.compile(s)));
    count++;
  }
}
rmSync(outDir, { recursive: true, force: true });
renameSync(tmpDir, outDir);
rmSync(join(dist, 'validators.cjs'), { force: true });
console.log(`build-validators: ${count} validators -> dist/validators/`);
