/**
 * vitest globalSetup: builds dist/ once per test run exactly as `npm run build` does (tsc, the
 * precompiled validators, the CLI bundle), so end-to-end tests exercise the same CLI a user
 * runs (bin/k3play.js -> dist/bundle/). Fails the run loudly if the build fails.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  node([`${root}/node_modules/typescript/bin/tsc`, '-p', 'tsconfig.json']);
  node([`${root}/scripts/build-validators.mjs`]);
  node([`${root}/scripts/bundle.mjs`]);
}
