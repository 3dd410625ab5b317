/**
 * vitest globalSetup: builds dist/ once per test run exactly as `npm run build` does (tsc, the
 * precompiled validators, the CLI bundle), so end-to-end tests exercise the same CLI a user
 * runs (bin/k3play.js -> dist/bundle/). Fails the run loudly if the build fails.
 * Listed once in vitest.config.ts but inherited by each project (`extends: true`), vitest calls
 * it for the root and every project in the same process: the environment marks it done.
 * K3PLAY_TEST_BUILT=1 skips it for a developer who has just run `npm run build`.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  if (process.env.K3PLAY_TEST_BUILT === '1') return;
  const root = fileURLToPath(new URL('..', import.meta.url));
  const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  node([`${root}/node_modules/typescript/bin/tsc`, '-p', 'tsconfig.json']);
  node([`${root}/scripts/build-validators.mjs`]);
  node([`${root}/scripts/bundle.mjs`]);
  process.env.K3PLAY_TEST_BUILT = '1';
}
