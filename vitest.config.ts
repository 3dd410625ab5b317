import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (src/**, modules/**); end-to-end and lab tests live in test/.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'modules/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/build-once.ts'],
    testTimeout: 20_000,
    hookTimeout: 120_000,
  },
});
