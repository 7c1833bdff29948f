import type { Store } from '@latchkey/core';
import { openSqliteDatabase, sqliteKysely } from './dialects/sqlite';
import { sqliteDirectStatements } from './dialects/sqlite-direct';
import { createKyselyStore } from './kysely-store';
import { migrateToLatest } from './migrate';

export type DatabaseLocation = { dialect: 'sqlite'; file: string };

/**
 * `sqlite:<path>` (or a bare path) names an SQLite file. Other schemes are refused here so
 * that the PostgreSQL dialect can slot in beside SQLite without touching callers.
 */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (url.startsWith('sqlite:')) return { dialect: 'sqlite', file: url.slice('sqlite:'.length) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new Error('only sqlite:<path> is supported in this version');
  }
  return { dialect: 'sqlite', file: url };
}

/** Opens the database, runs pending migrations and returns the store. */
export async function openStore(location: DatabaseLocation): Promise<Store> {
  const database = openSqliteDatabase(location.file);
  const db = sqliteKysely(database);
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return createKyselyStore(db, { direct: sqliteDirectStatements(database) });
}
