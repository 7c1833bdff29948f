import type { Store } from '@latchkey/core';
import type { Kysely } from 'kysely';
import type { Database } from './database';
import { lockTransactions, openPostgres } from './dialects/postgres';
import { postgresDirectStatements } from './dialects/postgres-direct';
import { openSqliteDatabase, sqliteKysely } from './dialects/sqlite';
import { checkpointInBackground } from './dialects/sqlite-checkpoints';
import { sqliteDirectStatements } from './dialects/sqlite-direct';
import { createKyselyStore, type KyselyStoreOptions } from './kysely-store';
import { migrateToLatest } from './migrate';
import type { PoolUsage } from './pool-usage';

export type DatabaseLocation =
  | { dialect: 'sqlite'; file: string }
  | { dialect: 'postgres'; url: string };

export interface OpenStoreOptions {
  /** PostgreSQL: connections in the pool. */
  poolSize?: number;
  /** PostgreSQL: the longest a statement may run (or wait for a lock). */
  statementTimeoutMs?: number;
  /** PostgreSQL: a pooled connection failed while idle; the next query opens a new one. */
  onIdleError?: (error: Error) => void;
  /**
   * SQLite: the worker that checkpoints off the event loop failed; the connection
   * checkpoints on its own commits again (`sqlite-checkpoints.ts`).
   */
  onCheckpointFailure?: (error: Error) => void;
}

/** The store, and what its connection pool is doing (for metrics). */
export interface OpenedStore extends Store {
  /** Reads PostgreSQL's pool; absent on SQLite, which has no pool. */
  poolUsage: (() => PoolUsage) | undefined;
}

const DEFAULT_POOL_SIZE = 10;
const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;

/**
 * `postgres://` or `postgresql://` names a PostgreSQL database; `sqlite:<path>` (or a bare
 * path) an SQLite file. Errors never repeat the URL: it may hold a password.
 */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (url.startsWith('sqlite:')) return { dialect: 'sqlite', file: url.slice('sqlite:'.length) };
  if (/^postgres(ql)?:\/\//i.test(url)) return { dialect: 'postgres', url: checkPostgresUrl(url) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new Error('expected postgres://…, postgresql://… or sqlite:<path>');
  }
  return { dialect: 'sqlite', file: url };
}

function checkPostgresUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('not a valid URL: expected postgres://user@host:port/database');
  }
  const socketHost = parsed.searchParams.get('host');
  if (!parsed.hostname && !socketHost) {
    throw new Error('no host: expected postgres://user@host:port/database');
  }
  if (!/^\/[^/]+$/.test(parsed.pathname)) {
    throw new Error('no database name: expected postgres://user@host:port/database');
  }
  return url;
}

/** Opens the database, runs pending migrations and returns the store. */
export async function openStore(
  location: DatabaseLocation,
  options: OpenStoreOptions = {},
): Promise<OpenedStore> {
  const { db, storeOptions, poolUsage, beforeClose } = await openDialect(location, options);
  let store: Store;
  try {
    await migrateToLatest(db);
    store = createKyselyStore(db, storeOptions());
  } catch (error) {
    await beforeClose();
    await db.destroy();
    throw error;
  }
  const closeConnections = store.close;
  return Object.assign(store, {
    poolUsage,
    async close() {
      await beforeClose();
      await closeConnections();
    },
  });
}

async function openDialect(
  location: DatabaseLocation,
  options: OpenStoreOptions,
): Promise<{
  db: Kysely<Database>;
  storeOptions: () => KyselyStoreOptions;
  poolUsage: (() => PoolUsage) | undefined;
  /** What the dialect ends before its connections close. */
  beforeClose: () => Promise<void>;
}> {
  if (location.dialect === 'postgres') {
    const { db, pool, poolUsage } = await openPostgres(location.url, {
      poolSize: options.poolSize ?? DEFAULT_POOL_SIZE,
      statementTimeoutMs: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
      ...(options.onIdleError ? { onIdleError: options.onIdleError } : {}),
    });
    return {
      db,
      storeOptions: () => ({
        beginTransaction: lockTransactions,
        direct: postgresDirectStatements(pool),
      }),
      poolUsage,
      beforeClose: async () => {},
    };
  }
  const database = openSqliteDatabase(location.file);
  const checkpoints =
    location.file === ':memory:'
      ? undefined
      : checkpointInBackground(database, location.file, options.onCheckpointFailure ?? (() => {}));
  return {
    db: sqliteKysely(database),
    // After the migrations: the direct statements are prepared against the tables.
    storeOptions: () => ({ direct: sqliteDirectStatements(database) }),
    poolUsage: undefined,
    beforeClose: async () => checkpoints?.stop(),
  };
}
