import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The server tests that stay out of the PostgreSQL project, each for its reason (never
 * skipped inside the file).
 */
const NOT_ON_POSTGRES: Record<string, string> = {
  'keys-rotate-cli.test.ts': 'the CLI on the SQLite file of a data directory, rows written into it',
  'users-cli.test.ts': 'the CLI on the SQLite file of a data directory',
  'start-and-restart.test.ts':
    'npm start on an empty data directory: the SQLite file and key file it creates, their modes',
  'postgres-service.test.ts': 'on PostgreSQL already, in the SQLite project',
  'server-bundle.test.ts': 'reads what the bundle imports: no service, no database',
};

const SERVER_TESTS = 'packages/server/test/**/*.test.ts';

/**
 * Two projects in one run, sharing one pool of workers: `sqlite` (every test; services on
 * SQLite) and `postgres` (the server tests again, each service on a PostgreSQL database of its
 * own: `TEST_DATABASE=postgres`, see `startTestService`). Unit, web and browser tests touch no
 * database and run once; the store contract runs on both databases in the `sqlite` project.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    // Setup starts services, providers and logins (scrypt) while two other files run beside
    // it on two CPUs.
    hookTimeout: 60_000,
    // Browser tests poll for what a page shows after server round trips: give a loaded CI
    // machine time (the default is 1 s).
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    // Most of a test's time is spent waiting on servers it started (Latchkey, the provider,
    // PostgreSQL, Chromium): more files than CPUs run side by side (vitest's default is one
    // fewer than the CPUs, a single worker on CI's two). See docs/testing.md.
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: [
            'packages/*/src/**/*.test.{ts,tsx}',
            'packages/*/test/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: [SERVER_TESTS],
          exclude: [
            ...configDefaults.exclude,
            ...Object.keys(NOT_ON_POSTGRES).map((file) => `packages/server/test/${file}`),
          ],
          env: { TEST_DATABASE: 'postgres' },
        },
      },
    ],
  },
});
