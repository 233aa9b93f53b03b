import { configDefaults, defineConfig } from 'vitest/config';

// Tests run in forked processes (real sockets, child processes, browsers). The machine has 2
// cores: keep parallelism low so timing-sensitive network tests are not starved.
//
// Two projects:
// - `unit`: every test/**/*.test.ts except the browser tests, as before (forks, at most 2).
// - `e2e`: test/e2e (Playwright + Chromium). Its global setup builds the web client, creates the
//   network namespace and starts the server; the files run one after another in a single fork,
//   after the unit group (sequence.groupOrder), so browsers never compete with other tests.
export default defineConfig({
  test: {
    pool: 'forks',
    poolOptions: { forks: { minForks: 1, maxForks: 2 } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/e2e/**'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/e2e-setup.ts'],
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 60_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
