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
 * commit), prepared per row count and committed asynchronously (`postgresAuditInsert`). A
 * batch too large for one statement goes through Kysely, and commits synchronously.
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
      await pool.query({
        // Prepared once per pooled connection and row count: parsing and planning a
        // multi-row insert again on every commit cost PostgreSQL a third of it (pgbench).
        name: `latchkey-audit-insert-${rows.length}`,
        text: postgresAuditInsert(rows.length),
        values: rows.flatMap(auditRowValues),
      });
      return true;
    },
  };
}

/**
 * `insert … values ($1, …, $10), ($11, …)`, as one statement whose own transaction commits
 * without waiting for the disk (`synchronous_commit` off for that transaction only; why, and
 * what a crash can lose: docs/audit.md, "When an event is committed"). The insert is a
 * data-modifying `with`, which PostgreSQL runs whether or not the main query reads it. The
 * text depends on the row count only; `table` lets the benchmark write a table of its own.
 */
export function postgresAuditInsert(rowCount: number, table = 'audit_events'): string {
  const width = AUDIT_COLUMNS.length;
  const tuples = Array.from(
    { length: rowCount },
    (_, row) =>
      `(${AUDIT_COLUMNS.map((_column, column) => `$${row * width + column + 1}`).join(', ')})`,
  );
  return `with appended as (insert into ${table} (${AUDIT_COLUMNS.join(', ')}) values ${tuples.join(', ')})
    select set_config('synchronous_commit', 'off', true)`;
}
