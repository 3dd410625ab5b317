#!/usr/bin/env node
// Entry point of the installed CLI. `npm run build` (run by `npm install` through `prepare`)
// compiles the TypeScript to dist/ and bundles the CLI into dist/bundle/ (scripts/bundle.mjs):
// the bundle starts faster. Without it (a tsc-only build) the unbundled dist/ runs the same code.
import { existsSync } from 'node:fs';

const bundled = new URL('../dist/bundle/cli/main.js', import.meta.url);
const { main } = await import(existsSync(bundled) ? bundled.href : '../dist/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
