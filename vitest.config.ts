import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.{ts,tsx}',
      'packages/*/test/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Browser tests poll for what a page shows after server round trips: give a loaded CI
    // machine time (the default is 1 s).
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
  },
});
