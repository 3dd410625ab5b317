import { defineConfig } from 'vitest/config';

// Two projects:
// - unit: tests beside the code (src/**, modules/**) and end-to-end CLI/engine tests (test/**);
// - lab: integration tests on real hosts (test/lab/**, **/*.lab.test.ts). Its globalSetup brings up
//   ONE shared lab per run and tears it down at the end, also when tests fail; files run one at a
//   time because they share the hosts. `npx vitest run --project unit` skips the lab entirely.
// dist/ is built once per run (test/build-once.ts) so CLI tests exercise what users run.
export default defineConfig({
  test: {
    globalSetup: ['test/build-once.ts'],
    testTimeout: 20_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'modules/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['test/lab/**', '**/*.lab.test.ts', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'lab',
          include: ['test/lab/**/*.test.ts', '**/*.lab.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['test/lab/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
