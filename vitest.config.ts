import { defineConfig } from 'vitest/config';

// Three suites that mirror the source tree: unit (no network), integration (real handlers
// against the embedded emulators), e2e (real clients: AWS CLI, feedparser, Chromium).
export default defineConfig({
  test: {
    // Tooling runs on Node 20 by design (Lambda runs Node 24); the SDK's notice that its 2027
    // releases need Node 22 is for whoever bumps the lockfile, not for every test worker.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          setupFiles: ['test/setup/fast-check.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
