import type BetterSqlite3 from 'better-sqlite3';
import type { Insertable, Selectable } from 'kysely';
import type { AuditEventsTable, ConnectionsTable } from '../database';

/**
 * The two statements on every API call — a connection read and the audit group commit —
 * run straight on the better-sqlite3 connection, without Kysely's query building and
 * connection mutex (a third of a proxied call's database cost in `npm run bench`).
 *
 * Only while no transaction is open on the connection: a Kysely transaction awaits between
 * its statements, and a direct statement then would see or join its uncommitted work. Each
 * direct call is synchronous, so no transaction can begin while it runs. When one is open,
 * the methods answer `undefined` and the caller goes through Kysely, which waits for it.
 */
export interface DirectStatements {
  connection(
    connectorId: string,
    userId: string,
  ): { row: Selectable<ConnectionsTable> | undefined } | undefined;
  /** Inserts the rows in one transaction; `undefined` (nothing written) when busy. */
  appendAudit(rows: Insertable<AuditEventsTable>[]): true | undefined;
}

const AUDIT_COLUMNS = [
  'id',
  'created_at',
  'action',
  'outcome',
  'reason',
  'actor_user_id',
  'api_key_id',
  'subject_user_id',
  'connector_id',
] as const;

export function sqliteDirectStatements(database: BetterSqlite3.Database): DirectStatements {
  const connection = database.prepare<[string, string], Selectable<ConnectionsTable>>(
    'select * from connections where connector_id = ? and user_id = ?',
  );
  const insertAudit = database.prepare(
    `insert into audit_events (${AUDIT_COLUMNS.join(', ')})
     values (${AUDIT_COLUMNS.map(() => '?').join(', ')})`,
  );
  const insertAll = database.transaction((rows: Insertable<AuditEventsTable>[]) => {
    for (const row of rows) insertAudit.run(AUDIT_COLUMNS.map((column) => row[column] ?? null));
  });
  return {
    connection(connectorId, userId) {
      if (database.inTransaction) return undefined;
      return { row: connection.get(connectorId, userId) };
    },
    appendAudit(rows) {
      if (database.inTransaction) return undefined;
      insertAll(rows);
      return true;
    },
  };
}
