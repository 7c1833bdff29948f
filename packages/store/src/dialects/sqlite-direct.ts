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
  const connection = database.prepare<[string, string], Selectable<ConnectionsTable>>(
    `select ${CONNECTION_COLUMNS.join(', ')} from connections where connector_id = ? and user_id = ?`,
  );
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
      return { row: connection.get(connectorId, userId) };
    },
    appendAudit(rows) {
      if (database.inTransaction) return undefined;
      insertAll(rows);
      return true;
    },
  };
}
