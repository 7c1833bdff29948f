import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from './database';
import { openSqliteDatabase, sqliteKysely } from './dialects/sqlite';
import { migrateToLatest } from './migrate';
import { MIGRATIONS } from './migrations/index';

/**
 * Two instances starting together on one SQLite file, as two connections in one process:
 * their migrations interleave at every await, as two processes' would at every statement.
 */
describe('migrations of two instances on one SQLite file at once', () => {
  const dirs: string[] = [];
  const databases: Kysely<Database>[] = [];
  afterEach(async () => {
    await Promise.all(databases.splice(0).map((db) => db.destroy()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function open(file: string): Kysely<Database> {
    const database = openSqliteDatabase(file);
    // In one process a busy wait blocks the other connection too: keep each attempt short.
    database.pragma('busy_timeout = 20');
    const db = sqliteKysely(database);
    databases.push(db);
    return db;
  }

  it.each([1, 2, 3, 4, 5])('run %i: each migration runs once and both succeed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-migrate-'));
    dirs.push(dir);
    const file = join(dir, 'latchkey.sqlite');
    const [first, second] = [open(file), open(file)] as const;

    const applied = await Promise.all([migrateToLatest(first), migrateToLatest(second)]);

    expect([...applied[0], ...applied[1]].sort()).toEqual(Object.keys(MIGRATIONS).sort());
    const recorded = await first
      .selectFrom('kysely_migration' as never)
      .selectAll()
      .execute();
    expect(recorded).toHaveLength(Object.keys(MIGRATIONS).length);
  });
});
