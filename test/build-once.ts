/**
 * vitest globalSetup: compiles dist/ once per test run so end-to-end tests exercise the same
 * CLI a user runs (bin/k3play.js -> dist/). Fails the run loudly if the build fails.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
}
