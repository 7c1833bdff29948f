import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from './sqlite';
import { type BackgroundCheckpoints, checkpointInBackground } from './sqlite-checkpoints';

const autocheckpointPages = (database: BetterSqlite3.Database) =>
  database.pragma('wal_autocheckpoint', { simple: true });
const nextTurn = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('checkpoints in the background', () => {
  let dir: string;
  let database: BetterSqlite3.Database;
  let checkpoints: BackgroundCheckpoints | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'latchkey-checkpoints-'));
    database = openSqliteDatabase(join(dir, 'db.sqlite'));
    database.exec('create table rows (id integer primary key, value blob not null)');
  });
  afterEach(async () => {
    await checkpoints?.stop();
    checkpoints = undefined;
    database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves checkpoints to the worker, which moves the WAL into the file', async () => {
    const file = join(dir, 'db.sqlite');
    const failures: Error[] = [];
    checkpoints = checkpointInBackground(database, file, (error) => failures.push(error), 10);
    // The connection's own commits never checkpoint: the worker does.
    expect(autocheckpointPages(database)).toBe(0);

    // 2,000 commits, well past the 1,000 pages at which SQLite would checkpoint on its own.
    const before = statSync(file).size;
    const insert = database.prepare('insert into rows (value) values (?)');
    const rows = 2000;
    for (let row = 0; row < rows; row += 1) insert.run(Buffer.alloc(500, row % 256));
    // Committed pages reach the database file only through a checkpoint: the worker's.
    await expect
      .poll(() => statSync(file).size, { timeout: 10_000 })
      .toBeGreaterThan(before + rows * 500);
    expect(database.prepare('select count(*) as n from rows').get()).toEqual({ n: rows });
    expect(failures).toEqual([]);
  });

  it('hands checkpoints back to the connection, and says why, when the worker fails', async () => {
    const failed = new Promise<Error>((resolve) => {
      // A file that is not there: the worker's connection cannot open, and the worker ends.
      checkpoints = checkpointInBackground(database, join(dir, 'missing.sqlite'), resolve, 10);
    });
    // As Node copies an SqliteError across the thread: its code, or its message.
    expect((await failed).message).toMatch(/SQLITE_CANTOPEN|unable to open/);
    expect(autocheckpointPages(database)).toBe(1000);
  });

  it('hands checkpoints back to the connection when stopped, without a failure', async () => {
    const failures: Error[] = [];
    const stopped = checkpointInBackground(
      database,
      join(dir, 'db.sqlite'),
      (error) => failures.push(error),
      10,
    );
    await stopped.stop();
    expect(autocheckpointPages(database)).toBe(1000);
    await nextTurn(20);
    expect(failures).toEqual([]);
  });
});
