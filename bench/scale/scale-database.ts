import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { buildBaselineTable } from '../baseline-table';
import { expireConnection, type OAuthConnection } from '../oauth-connection';
import { openPostgresRowSink } from './postgres-row-sink';
import type { RowSink } from './row-sink';
import { openSqliteRowSink } from './sqlite-row-sink';

export type ScaleDialect = 'sqlite' | 'postgres';

/** The database of one scale scenario: where Latchkey, the seeding and the baseline read. */
export interface ScaleDatabase {
  dialect: ScaleDialect;
  /** `LATCHKEY_*` settings that point the service at it (none: the data directory's file). */
  latchkeyEnv: Record<string, string>;
  openSink(): Promise<RowSink>;
  /** Settings of the token-reading baseline, once the database is seeded. */
  baselineEnv(): Record<string, string>;
  /** Makes the stored access token of `connection` expired. */
  expire(connection: OAuthConnection): Promise<void>;
  /** Deletes the database (the data directory is the caller's). */
  drop(): Promise<void>;
}

/** Where the bench creates its own databases: the machine's server, `postgres` trusted. */
const POSTGRES_ADMIN_URL =
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function createScaleDatabase(
  dialect: ScaleDialect,
  dataDir: string,
): Promise<ScaleDatabase> {
  return dialect === 'sqlite'
    ? Promise.resolve(sqliteDatabase(dataDir))
    : createPostgresDatabase(`latchkey_bench_${randomBytes(6).toString('hex')}`);
}

function sqliteDatabase(dataDir: string): ScaleDatabase {
  const file = join(dataDir, 'latchkey.sqlite');
  return {
    dialect: 'sqlite',
    latchkeyEnv: {},
    openSink: async () => openSqliteRowSink(file),
    baselineEnv() {
      const baselineFile = join(dataDir, 'baseline.sqlite');
      buildBaselineTable(file, baselineFile);
      return { BENCH_BASELINE_DB: baselineFile };
    },
    expire: async (connection) => expireConnection(dataDir, connection),
    drop: async () => {},
  };
}

async function createPostgresDatabase(name: string): Promise<ScaleDatabase> {
  await adminQuery(`create database ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    dialect: 'postgres',
    latchkeyEnv: { LATCHKEY_DATABASE_URL: databaseUrl },
    openSink: () => openPostgresRowSink(databaseUrl),
    baselineEnv: () => ({ BENCH_BASELINE_POSTGRES_URL: databaseUrl }),
    async expire(connection) {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const { rowCount } = await client.query(
          'update connections set expires_at = $1 where connector_id = $2 and user_id = $3',
          [Date.now() - 1000, connection.connectorId, connection.userId],
        );
        if (rowCount !== 1) throw new Error('the OAuth connection was not found');
      } finally {
        await client.end();
      }
    },
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
