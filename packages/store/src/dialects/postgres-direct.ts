import type { Selectable } from 'kysely';
import type pg from 'pg';
import type { ConnectionsTable } from '../database';
import {
  AUDIT_BATCH_ROWS,
  AUDIT_COLUMNS,
  auditRowValues,
  CONNECTION_COLUMNS,
  type DirectStatements,
} from '../direct-statements';

/**
 * PostgreSQL's direct statements, on the pool Kysely uses. The connection read is a named
 * statement, prepared once per pooled connection; the audit batch is one multi-row insert,
 * atomic on its own, where Kysely's transaction took three round trips (begin, insert,
 * commit). A batch too large for one statement goes through Kysely.
 */
export function postgresDirectStatements(pool: pg.Pool): DirectStatements {
  return {
    async connection(connectorId, userId) {
      const result = await pool.query<Selectable<ConnectionsTable>>({
        name: 'latchkey-connection-find',
        text: `select ${CONNECTION_COLUMNS.join(', ')} from connections where connector_id = $1 and user_id = $2`,
        values: [connectorId, userId],
      });
      return { row: result.rows[0] };
    },
    async appendAudit(rows) {
      if (rows.length > AUDIT_BATCH_ROWS) return undefined;
      await pool.query(auditInsertOf(rows.length), rows.flatMap(auditRowValues));
      return true;
    },
  };
}

/** `insert … values ($1, …, $10), ($11, …)`: the text depends on the row count only. */
function auditInsertOf(rowCount: number): string {
  const width = AUDIT_COLUMNS.length;
  const tuples = Array.from(
    { length: rowCount },
    (_, row) =>
      `(${AUDIT_COLUMNS.map((_column, column) => `$${row * width + column + 1}`).join(', ')})`,
  );
  return `insert into audit_events (${AUDIT_COLUMNS.join(', ')}) values ${tuples.join(', ')}`;
}
