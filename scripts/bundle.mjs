// Build step after tsc: bundles the CLI (dist/src/cli/main.js and everything it imports,
// lazily loaded subcommands as split chunks) into dist/bundle/cli/ with esbuild, so a run
// loads a handful of files instead of ~400 (module resolution and compilation were a third of
// a short run's CPU). ssh2 stays external: it loads its native crypto binding from its own
// directory. dist/bundle/cli/ keeps main.js's depth below the repo root, so its
// `new URL('../../../package.json', import.meta.url)` still finds package.json.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle', 'cli');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'dist', 'src', 'cli', 'main.js')],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir,
  external: ['ssh2'],
  // CommonJS dependencies (ajv, handlebars, commander...) call require(); ESM has none.
  banner: { js: "import { createRequire as __k3playCreateRequire } from 'node:module'; const require = __k3playCreateRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
});
console.log('bundle: dist/bundle/cli/');
