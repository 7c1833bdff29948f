import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import type { Database } from '../database';
import { ImmediateSqliteDialect } from './sqlite-immediate';
import { withStatementCache } from './statement-cache';

/**
 * WAL lets readers run beside the single writer; busy_timeout covers a CLI writing
 * meanwhile. Reads go through a memory map and a 32 MiB page cache: with SQLite's default
 * 2 MiB cache, each lookup among 100,000 connections cost system calls (`npm run bench`).
 */
export const SQLITE_PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
  'cache_size = -32768',
  'mmap_size = 268435456',
] as const;

/** Opens the embedded SQLite database (created with its folder if missing). */
export function openSqlite(file: string): Kysely<Database> {
  return sqliteKysely(openSqliteDatabase(file));
}

/** The better-sqlite3 connection, with the service's pragmas. */
export function openSqliteDatabase(file: string): BetterSqlite3.Database {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true });
    // Owner-only, like the key file: it holds password hashes and ciphertexts. SQLite gives
    // its -wal and -shm files the database file's permissions.
    closeSync(openSync(file, 'a', 0o600));
  }
  const database = new BetterSqlite3(file);
  for (const pragma of SQLITE_PRAGMAS) database.pragma(pragma);
  return database;
}

export function sqliteKysely(database: BetterSqlite3.Database): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }),
  });
}
