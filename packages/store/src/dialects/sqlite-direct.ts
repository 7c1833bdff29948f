import type BetterSqlite3 from 'better-sqlite3';
import type { Insertable, Selectable } from 'kysely';
import type { AuditEventsTable, ConnectionsTable } from '../database';
import {
  AUDIT_COLUMNS,
  auditRowValues,
  CONNECTION_COLUMNS,
  type DirectStatements,
} from '../direct-statements';

/**
 * SQLite's direct statements: better-sqlite3 is synchronous, so a statement run while no
 * transaction is open on the connection finishes before any transaction can begin.
 */
export function sqliteDirectStatements(database: BetterSqlite3.Database): DirectStatements {
  const connection = database
    .prepare<[string, string], ConnectionValues>(
      `select ${CONNECTION_COLUMNS.join(', ')} from connections where connector_id = ? and user_id = ?`,
    )
    .raw(true);
  const insertAudit = database.prepare(
    `insert into audit_events (${AUDIT_COLUMNS.join(', ')})
     values (${AUDIT_COLUMNS.map(() => '?').join(', ')})`,
  );
  const insertAll = database.transaction((rows: Insertable<AuditEventsTable>[]) => {
    for (const row of rows) insertAudit.run(auditRowValues(row));
  });
  return {
    connection(connectorId, userId) {
      if (database.inTransaction) return undefined;
      const values = connection.get(connectorId, userId);
      return { row: values && connectionRow(values) };
    },
    appendAudit(rows) {
      if (database.inTransaction) return undefined;
      insertAll(rows);
      return true;
    },
  };
}

/**
 * A row's values as a `raw` read answers them, in the order its columns were selected. The
 * types follow the positions, not the names: two columns of one type that trade places
 * still type-check (`connectionRow`'s test catches that).
 */
type ValuesOf<Row, Columns extends readonly (keyof Row)[]> = {
  -readonly [At in keyof Columns]: Row[Columns[At] & keyof Row];
};
type ConnectionValues = ValuesOf<Selectable<ConnectionsTable>, typeof CONNECTION_COLUMNS>;

/**
 * The row of a `raw` read: better-sqlite3 answers an array faster than an object of 18
 * named columns, and an object literal is quicker to build than better-sqlite3's object.
 */
export function connectionRow(values: ConnectionValues): Selectable<ConnectionsTable> {
  return {
    id: values[0],
    connector_id: values[1],
    user_id: values[2],
    status: values[3],
    scopes: values[4],
    credentials: values[5],
    metadata: values[6],
    account: values[7],
    expires_at: values[8],
    refresh_expires_at: values[9],
    version: values[10],
    created_at: values[11],
    updated_at: values[12],
    last_used_at: values[13],
    refresh_failures: values[14],
    last_error: values[15],
    next_attempt_at: values[16],
    last_refreshed_at: values[17],
  };
}
