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
  const [
    id,
    connector_id,
    user_id,
    status,
    scopes,
    credentials,
    metadata,
    account,
    expires_at,
    refresh_expires_at,
    version,
    created_at,
    updated_at,
    last_used_at,
    refresh_failures,
    last_error,
    next_attempt_at,
    last_refreshed_at,
  ] = values;
  return {
    id,
    connector_id,
    user_id,
    status,
    scopes,
    credentials,
    metadata,
    account,
    expires_at,
    refresh_expires_at,
    version,
    created_at,
    updated_at,
    last_used_at,
    refresh_failures,
    last_error,
    next_attempt_at,
    last_refreshed_at,
  };
}
