import { defineConfig } from 'vitest/config';

// Suites that mirror the source tree: unit (no network), infra (the CDK app, synthesized once per
// context), integration (real handlers against the embedded emulators), e2e (real clients: AWS
// CLI, feedparser, Chromium).
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
          exclude: ['test/unit/infra/**'],
          setupFiles: ['test/setup/fast-check.ts'],
          testTimeout: 20_000,
        },
      },
      {
        // The CDK app's tests: synthesis dominates them, so they share one module cache (not
        // isolated, one file at a time) and `synthPolywire` synthesizes each context once per run.
        test: {
          name: 'infra',
          include: ['test/unit/infra/**/*.test.ts'],
          isolate: false,
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Checks the AWS SDK commands each stage sent against the IAM evidence file.
          setupFiles: ['test/setup/sdk-commands.ts'],
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
