import type { Insertable, Selectable } from 'kysely';
import type { AuditEventsTable, ConnectionsTable } from './database';

/**
 * The two statements on every API call — a connection read and the audit group commit —
 * may run straight on the dialect's connection, without Kysely's query building and
 * connection mutex (a third of a proxied call's database cost on SQLite in `npm run bench`).
 * Optional: a dialect without them (PostgreSQL, with its pool) goes through Kysely.
 *
 * Only while no transaction is open on the connection: a Kysely transaction awaits between
 * its statements, and a direct statement then would see or join its uncommitted work. Each
 * direct call must finish before a transaction can begin. When one is open,
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
