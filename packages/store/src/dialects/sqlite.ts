import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../database';
import { withStatementCache } from './statement-cache';

/** Opens the embedded SQLite database (created with its folder if missing). */
export function openSqlite(file: string): Kysely<Database> {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true });
    // Owner-only, like the key file: it holds password hashes and ciphertexts. SQLite gives
    // its -wal and -shm files the database file's permissions.
    closeSync(openSync(file, 'a', 0o600));
  }
  const database = new BetterSqlite3(file);
  // WAL lets readers run beside the single writer; busy_timeout covers a CLI writing meanwhile.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(database) }),
  });
}
