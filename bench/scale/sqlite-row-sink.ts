import Database from 'better-sqlite3';
import type { RowSink } from './row-sink';
import { multiRowInsert, rowRanges, rowsPerStatement } from './seed-batches';

/** SQLite's default bound-parameter limit since 3.32 (`SQLITE_MAX_VARIABLE_NUMBER`). */
const SQLITE_MAX_PARAMETERS = 32_766;

/** Multi-row prepared inserts in one transaction: one fsync for the whole seeding. */
export function openSqliteRowSink(file: string): RowSink {
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  db.exec('begin immediate');
  return {
    async insertRows(table, columns, rowCount, rowAt) {
      const size = rowsPerStatement(columns.length, SQLITE_MAX_PARAMETERS);
      const statements = new Map<number, Database.Statement>();
      for (const { start, count } of rowRanges(rowCount, size)) {
        let statement = statements.get(count);
        if (!statement) {
          statement = db.prepare(multiRowInsert(table, columns, count, 'sqlite'));
          statements.set(count, statement);
        }
        const values: unknown[] = [];
        for (let index = start; index < start + count; index += 1) values.push(...rowAt(index));
        statement.run(values);
      }
    },
    async finish() {
      db.exec('commit');
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.exec('analyze');
      db.close();
    },
  };
}
