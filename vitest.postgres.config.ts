import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The PostgreSQL pass (`npm run test:postgres`): the server tests again, each service on a
 * PostgreSQL database of its own (`TEST_DATABASE=postgres`, see `startTestService`). Unit,
 * web and browser tests touch no database and run once, in the SQLite pass; so does the
 * store contract, which runs on both databases there.
 *
 * Files left out of this pass, each for its reason (never skipped inside the file):
 */
const NOT_ON_POSTGRES: Record<string, string> = {
  'keys-rotate-cli.test.ts': 'the CLI on the SQLite file of a data directory, rows written into it',
  'users-cli.test.ts': 'the CLI on the SQLite file of a data directory',
  'start-and-restart.test.ts':
    'npm start on an empty data directory: the SQLite file and key file it creates, their modes',
  'openapi-fuzz.test.ts':
    'restores its scene by copying the SQLite file and digests the file between requests',
  'postgres-service.test.ts': 'on PostgreSQL already, in the SQLite pass',
};

export default defineConfig({
  test: {
    ...base.test,
    include: ['packages/server/test/**/*.test.ts'],
    exclude: [
      ...configDefaults.exclude,
      ...Object.keys(NOT_ON_POSTGRES).map((file) => `packages/server/test/${file}`),
    ],
    env: { TEST_DATABASE: 'postgres' },
  },
});
