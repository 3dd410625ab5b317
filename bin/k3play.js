#!/usr/bin/env node
// Entry point of the installed CLI: the compiled TypeScript lives in dist/ (built by `npm install`
// through the `prepare` script, and by `npm pack` through `prepack`).
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
