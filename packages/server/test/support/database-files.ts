import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { SealedColumn } from '@latchkey/core';
import BetterSqlite3 from 'better-sqlite3';

/** Runs one read-only query against a service's SQLite file, beside the live service. */
export function queryDatabase<Row>(file: string, sql: string, ...params: unknown[]): Row[] {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as Row[];
  } finally {
    db.close();
  }
}

/**
 * Makes the database refuse every delete from `table`, with a trigger added behind the
 * service's back: a transaction that deletes there fails for real, at that step. Returns
 * the undo.
 */
export function refuseDeletes(file: string, table: string): () => void {
  const trigger = `refuse_deletes_${table}`;
  runStatement(
    file,
    `create trigger "${trigger}" before delete on "${table}" begin select raise(abort, 'refused by the test'); end`,
  );
  return () => runStatement(file, `drop trigger "${trigger}"`);
}

/** Runs one statement against a service's SQLite file, behind the live service's back. */
export function runStatement(file: string, sql: string, ...params: unknown[]): void {
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

const DATABASE_FILE_MAX_BYTES = 256 * 1024 * 1024;

/**
 * The raw bytes of the database file and its WAL and shared-memory files, as on disk.
 *
 * Read by another process (`cat`), never opened here: this process holds the live service's
 * SQLite connection, and closing any descriptor of the file in it would drop all of the
 * process's POSIX locks on it (https://www.sqlite.org/howtocorrupt.html, §2.2). Another
 * process, a CLI run, could then think itself alone and checkpoint the WAL away.
 * (`queryDatabase` and the like go through SQLite, which keeps such descriptors open.)
 */
export function readDatabaseBytes(file: string): { name: string; bytes: Buffer }[] {
  return [file, `${file}-wal`, `${file}-shm`]
    .filter((name) => existsSync(name))
    .map((name) => ({
      name,
      bytes: execFileSync('cat', [name], { maxBuffer: DATABASE_FILE_MAX_BYTES }),
    }));
}

/**
 * Every sealed (vault) value in the given columns (take them from `store.sealedValues.columns`
 * so that columns added later are covered), with the key id each one names.
 */
export function sealedValues(
  file: string,
  columns: readonly SealedColumn[],
): { where: string; keyId: string }[] {
  return columns.flatMap(({ table, column }) =>
    queryDatabase<{ sealed: string }>(
      file,
      `select "${column}" as sealed from "${table}" where "${column}" is not null`,
    ).map(({ sealed }) => {
      const [format, keyId] = sealed.split('.');
      if (format !== 'lk1' || !keyId)
        throw new Error(`${table}.${column} holds a non-sealed value`);
      return { where: `${table}.${column}`, keyId };
    }),
  );
}
