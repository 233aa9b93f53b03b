import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

// Tests run in forked processes (real sockets, child processes, browsers). The machine has 2
// cores: keep parallelism low so timing-sensitive network tests are not starved.
//
// Three projects:
// - `unit`: every test/**/*.test.ts except the browser tests, as before (forks, at most 2).
// - `e2e`: test/e2e (Playwright + Chromium). Its global setup builds the web client, creates the
//   network namespace and starts the server; the files run one after another in a single fork,
//   after the unit group (sequence.groupOrder), so browsers never compete with other tests.
// - `nat`: test/nat (real kernel NAT: network namespaces, iptables, Chromium). Its global setup
//   builds the topology and starts the servers; it runs last, alone, in a single fork.
export default defineConfig({
  // The web app imports the SDK by its package name (as tsconfig.json's `paths` say): its source.
  resolve: { alias: { 'switchboard/client': fileURLToPath(new URL('./web/src/core/index.ts', import.meta.url)) } },
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
          // SWITCHBOARD_NO_BENCH_SMOKES=1 (scripts/test.sh's passes under other Nodes) leaves out the
          // benchmark smokes; vitest's --exclude does not reach a project's own list.
          exclude: [...configDefaults.exclude, 'test/e2e/**', 'test/nat/**', ...(process.env.SWITCHBOARD_NO_BENCH_SMOKES === '1' ? ['test/bench/**'] : [])],
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
      {
        extends: true,
        test: {
          name: 'nat',
          include: ['test/nat/**/*.test.ts'],
          globalSetup: ['test/nat/setup.ts'],
          poolOptions: { forks: { singleFork: true } },
          // The cases of test/nat run concurrently inside one file (they share the topology).
          maxConcurrency: 8,
          // Generous for a loaded machine; on an idle one the slowest case takes ~2 minutes.
          testTimeout: 180_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
