import type { SealedColumn } from '@latchkey/core';
import type { DatabaseLocation } from '@latchkey/store';
import { queryPostgres } from '@latchkey/testing';
import BetterSqlite3 from 'better-sqlite3';

// Reads and writes behind a live service's back, on whichever database it uses (SQLite or
// PostgreSQL): tests compare what is stored with what must (not) be there, or break the
// database on purpose. Statements are written once, with `?` placeholders; PostgreSQL
// answers `bigint` columns as numbers, as SQLite does.

/** Anything that names its database: a test service. */
export interface WithDatabase {
  database: DatabaseLocation;
}

/** Runs one read-only query against the service's database and returns the rows. */
export async function queryDatabase<Row>(
  { database }: WithDatabase,
  sql: string,
  ...params: unknown[]
): Promise<Row[]> {
  if (database.dialect === 'postgres') return queryPostgres<Row>(database.url, sql, params);
  const db = new BetterSqlite3(database.file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as Row[];
  } finally {
    db.close();
  }
}

/** Runs one statement against the service's database, behind the live service's back. */
export async function runStatement(
  { database }: WithDatabase,
  sql: string,
  ...params: unknown[]
): Promise<void> {
  if (database.dialect === 'postgres') {
    await queryPostgres(database.url, sql, params);
    return;
  }
  const db = new BetterSqlite3(database.file, { fileMustExist: true });
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

/**
 * Makes the database refuse every delete from `table`, with a trigger added behind the
 * service's back: a transaction that deletes there fails for real, at that step. Returns
 * the undo.
 */
export async function refuseDeletes(
  service: WithDatabase,
  table: string,
): Promise<() => Promise<void>> {
  const trigger = `refuse_deletes_${table}`;
  if (service.database.dialect === 'postgres') {
    await runStatement(
      service,
      `create function "${trigger}"() returns trigger language plpgsql as $$ begin raise exception 'refused by the test'; end $$`,
    );
    await runStatement(
      service,
      `create trigger "${trigger}" before delete on "${table}" for each row execute function "${trigger}"()`,
    );
    return async () => {
      await runStatement(service, `drop trigger "${trigger}" on "${table}"`);
      await runStatement(service, `drop function "${trigger}"()`);
    };
  }
  await runStatement(
    service,
    `create trigger "${trigger}" before delete on "${table}" begin select raise(abort, 'refused by the test'); end`,
  );
  return () => runStatement(service, `drop trigger "${trigger}"`);
}

/**
 * Every sealed (vault) value in the given columns (take them from `store.sealedValues.columns`
 * so that columns added later are covered), with the key id each one names.
 */
export async function sealedValues(
  service: WithDatabase,
  columns: readonly SealedColumn[],
): Promise<{ where: string; keyId: string }[]> {
  const perColumn = await Promise.all(
    columns.map(async ({ table, column }) => {
      const rows = await queryDatabase<{ sealed: string }>(
        service,
        `select "${column}" as sealed from "${table}" where "${column}" is not null`,
      );
      return rows.map(({ sealed }) => {
        const [format, keyId] = sealed.split('.');
        if (format !== 'lk1' || !keyId)
          throw new Error(`${table}.${column} holds a non-sealed value`);
        return { where: `${table}.${column}`, keyId };
      });
    }),
  );
  return perColumn.flat();
}
