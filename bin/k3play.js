#!/usr/bin/env node
// Entry point of the installed CLI. `npm run build` (run by `npm install` through `prepare`)
// compiles the TypeScript to dist/ and bundles the CLI into one file with a V8 code cache
// (scripts/bundle.mjs), which starts several times faster than loading ~400 modules. Without
// the bundle (a tsc-only build) the unbundled dist/ runs the same code. The cache is used only
// when V8 accepts it (same Node version); K3PLAY_WRITE_CODE_CACHE=1 (the build's warm-up run)
// records it after the command finished. CommonJS (bin/package.json), not an ES module: Node
// reaches the first line of a CommonJS entry ~10 ms sooner.
'use strict';
const { isAscii } = require('node:buffer');
const { existsSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const v8 = require('node:v8');
const vm = require('node:vm');

const bundleDir = join(__dirname, '..', 'dist', 'bundle', 'cli');
const bundle = join(bundleDir, 'k3play.cjs');
const cacheFile = join(bundleDir, 'k3play.cache');

async function loadMain() {
  if (!existsSync(bundle)) return { main: (await import(pathToFileURL(join(__dirname, '..', 'dist', 'src', 'cli', 'main.js')).href)).main };
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  // The bundle is pure ASCII (scripts/bundle.mjs): decoded as latin1, a one-byte string, in a
  // fraction of UTF-8 decoding's time; any other bytes are decoded as UTF-8.
  const bytes = readFileSync(bundle);
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const script = new vm.Script(Module.wrap(source), { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, Module.createRequire(bundle), module, bundle, bundleDir);
  return { main: module.exports.main, script };
}

async function start() {
  const { main, script } = await loadMain();
  // A run is a short-lived process: V8's default tier-up threshold, tuned for long-running
  // servers and pages, had TurboFan optimize the YAML parser and a few helpers in background
  // threads during start-up, CPU a run never got back (on a 5-host lab: 9 % of a 41-task run's
  // CPU, 4 % of the bench's node prep). Four times the interrupt budget leaves that code to the
  // baseline compiler; code that stays hot (a rollout's hundreds of sites) is still optimized.
  // Set after the bundle is compiled: V8 accepts a code cache only for the flags it was made
  // with. Not for the build's warm-up run, which writes that cache.
  if (process.env.K3PLAY_WRITE_CODE_CACHE !== '1') v8.setFlagsFromString('--interrupt-budget=270336');
  const code = await main(process.argv.slice(2));
  if (script && process.env.K3PLAY_WRITE_CODE_CACHE === '1') {
    writeFileSync(`${cacheFile}.tmp`, script.createCachedData());
    renameSync(`${cacheFile}.tmp`, cacheFile);
  }
  // main has finished the run: every report written, the journal flushed, each SSH connection
  // sent its disconnect. Exit once stdout and stderr have flushed instead of idling until every
  // sshd has closed its side of TCP (ssh2's keepalive timer holds the event loop until then):
  // ~25 ms a run.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

// Exit code 1: an internal error (README, "Exit codes"); main reports every expected failure itself.
start().catch((e) => {
  process.stderr.write(`k3play: internal error: ${e && e.stack ? e.stack : String(e)}\n`);
  process.exit(1);
});
