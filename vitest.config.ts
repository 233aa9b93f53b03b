import { defineConfig } from 'vitest/config';

// Tests run in forked processes (real sockets, child processes, browsers). The machine has 2
// cores: keep parallelism low so timing-sensitive network tests are not starved.
export default defineConfig({
  test: {
    pool: 'forks',
    poolOptions: { forks: { minForks: 1, maxForks: 2 } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    include: ['test/**/*.test.ts'],
    reporters: ['default'],
  },
});
