// Build step after tsc: bundles the CLI (dist/src/cli/main.js and everything it imports) into
// ONE CommonJS file, dist/bundle/cli/k3play.cjs, with esbuild, then records V8's code cache for
// it (dist/bundle/cli/k3play.cache) by running a warm-up playbook through bin/k3play.js.
// Why: a short run spent a third of its CPU resolving, reading and compiling ~400 modules; one
// file with a code cache starts in a fraction of that. ssh2's JavaScript is bundled too (compiling
// its ~20 files on every run cost ~40 ms of a 5-host run's CPU); its native crypto binding (a .node
// file, which cannot be bundled) is loaded from ssh2's own installed directory, found by
// require.resolve at run time; only ssh2's client is bundled, without cpu-features (see below).
// dist/bundle/cli/ keeps main.js's depth below the repo
// root, so `new URL('../../../package.json', import.meta.url)` still finds package.json.
// The cache is an optimisation only: bin/k3play.js runs the bundle without it (or without a
// bundle at all) when it is missing or V8 rejects it (another Node version).
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startWarmupSshd, writeWarmupInventory } from './warmup/warmup-sshd.mjs';

const execFileAsync = promisify(execFile);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Rewrites ssh2's `require('./crypto/build/Release/sshcrypto.node')` to a run-time lookup in
 *  ssh2's installed directory. ssh2 falls back to pure JS when the binding is absent, so a
 *  missing binding (no compiler at install) still works, as it does unbundled. */
function ssh2NativeBinding() {
  const native = "'./crypto/build/Release/sshcrypto.node'";
  return {
    name: 'ssh2-native-binding',
    setup(b) {
      b.onLoad({ filter: /[\\/]ssh2[\\/]lib[\\/]protocol[\\/]crypto\.js$/ }, async (args) => {
        const src = readFileSync(args.path, 'utf8');
        if (!src.includes(native)) throw new Error(`bundle: ${args.path} no longer loads ${native}; update scripts/bundle.mjs`);
        const lookup = "require('node:path').join(require('node:path').dirname(require.resolve('ssh2/package.json')), 'lib', 'protocol', 'crypto', 'build', 'Release', 'sshcrypto.node')";
        return { contents: src.replace(native, lookup), loader: 'js' };
      });
    },
  };
}
/** `ssh2` as k3play uses it: the Client and parseKey only. ssh2's index also loads its server,
 *  key generator, agents and HTTP agents (node:http, node:https), ~5 ms of every start. And no
 *  cpu-features: ssh2 only asks it where to rank chacha20-poly1305, after the AES-GCM ciphers
 *  it prefers anyway; loading that native addon cost another few ms. */
function ssh2ClientOnly() {
  return {
    name: 'ssh2-client-only',
    setup(b) {
      b.onResolve({ filter: /^ssh2$/ }, (args) => (args.importer.includes(join('dist', 'src')) ? { path: 'ssh2-client-only', namespace: 'k3play' } : undefined));
      b.onResolve({ filter: /^cpu-features$/ }, () => ({ path: 'cpu-features', namespace: 'k3play' }));
      b.onLoad({ filter: /^ssh2-client-only$/, namespace: 'k3play' }, () => ({
        contents: "module.exports = { Client: require('ssh2/lib/client.js'), utils: { parseKey: require('ssh2/lib/protocol/keyParser.js').parseKey } };",
        loader: 'js',
        resolveDir: root,
      }));
      b.onLoad({ filter: /^cpu-features$/, namespace: 'k3play' }, () => ({ contents: "throw new Error('cpu-features is not bundled');", loader: 'js' }));
    },
  };
}
/** The validators scripts/build-validators.mjs wrote to dist/validators/, compiled into the
 *  bundle: dist/src/schema/bundled-validators.js (empty in the tsc build) becomes a table of
 *  them. Unbundled, each was a module lookup, a file read and a compile without code cache. */
function bundledValidators() {
  const dir = join(root, 'dist', 'validators');
  return {
    name: 'bundled-validators',
    setup(b) {
      b.onLoad({ filter: /[\\/]dist[\\/]src[\\/]schema[\\/]bundled-validators\.js$/ }, () => {
        const keys = readdirSync(dir).filter((f) => f.endsWith('.cjs')).map((f) => f.slice(0, -'.cjs'.length)).sort();
        if (keys.length === 0) throw new Error('bundle: dist/validators/ is empty; run scripts/build-validators.mjs first');
        const table = keys.map((k) => `  ${JSON.stringify(k)}: () => require(${JSON.stringify(`./${k}.cjs`)}),`).join('\n');
        return { contents: `export const bundledValidators = {\n${table}\n};\n`, loader: 'js', resolveDir: dir };
      });
    },
  };
}
const outdir = join(root, 'dist', 'bundle', 'cli');
rmSync(join(root, 'dist', 'bundle'), { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'dist', 'src', 'cli', 'main.js')],
  outfile: join(outdir, 'k3play.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  plugins: [ssh2NativeBinding(), ssh2ClientOnly(), bundledValidators()],
  // ESM's import.meta.url, as the bundle's own file URL (its depth matches dist/src/cli/main.js).
  define: { 'import.meta.url': '__k3playModuleUrl' },
  banner: { js: "const __k3playModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  sourcemap: true,
  // Pure ASCII output: bin/k3play.js reads it as a one-byte (latin1) string, several times
  // faster than UTF-8 decoding 3.6 MB, and the code cache matches either way.
  charset: 'ascii',
  // Whitespace and comments out (names kept, so stack traces still read): 5.0 -> 3.5 MB to read
  // and hand to V8 on every start, ~3 ms. The source map (k3play.cjs.map) maps positions back.
  minifyWhitespace: true,
  logLevel: 'warning',
});
// esbuild leaves non-ASCII in a few comments and regular expression literals; \uXXXX means the
// same there (and in strings, templates and identifiers), so the bundle becomes pure ASCII.
const bundleFile = join(outdir, 'k3play.cjs');
const bundled = readFileSync(bundleFile, 'utf8');
writeFileSync(bundleFile, bundled.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));

// Warm-up: one real run (CLI, inventory, playbook, templates, engine, modules, reporters, the
// SSH transport against a loopback server of the build's own, the local connection), then V8
// writes the code of every function it ran (scripts/warmup/warmup.yml says what it runs).
const scratch = mkdtempSync(join(tmpdir(), 'k3play-warmup-'));
let sshd;
try {
  sshd = await startWarmupSshd(scratch);
  const inventory = writeWarmupInventory(scratch, sshd);
  await execFileAsync(process.execPath, [join(root, 'bin', 'k3play.js'), 'run', join(root, 'scripts', 'warmup', 'warmup.yml'), '-i', inventory], {
    cwd: scratch,
    env: { ...process.env, K3PLAY_WRITE_CODE_CACHE: '1', K3PLAY_NO_JOURNAL: '1', NO_COLOR: '1', CI: '1' },
    timeout: 120_000,
  });
  console.log('bundle: dist/bundle/cli/k3play.cjs + code cache');
} catch (e) {
  const detail = e.stdout ? `\n${String(e.stdout).split('\n').slice(-15).join('\n')}` : '';
  console.warn(`bundle: no code cache (the warm-up run failed: ${e.message.split('\n')[0]})${detail}\nk3play still runs, starting slower`);
} finally {
  await sshd?.close();
  rmSync(scratch, { recursive: true, force: true });
}
