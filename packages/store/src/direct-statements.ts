import type { Insertable, Selectable } from 'kysely';
import type { AuditEventsTable, ConnectionsTable } from './database';

/**
 * The two statements on every API call — a connection read and the audit group commit —
 * may run straight on the dialect's driver, without Kysely's query building (and, on
 * SQLite, its connection mutex; on PostgreSQL, its explicit transaction): a third of a
 * proxied call's database cost on SQLite in `npm run bench`.
 *
 * On SQLite, only while no transaction is open on the one connection: a Kysely transaction
 * awaits between its statements, and a direct statement then would see or join its
 * uncommitted work. Each direct call must finish before a transaction can begin. When one is
 * open, the methods answer `undefined` and the caller goes through Kysely, which waits for
 * it. On PostgreSQL each statement takes a pooled connection of its own, outside any
 * transaction, as Kysely's single statements do.
 */
export interface DirectStatements {
  connection(connectorId: string, userId: string): MaybePromise<DirectRead | undefined>;
  /**
   * Inserts the rows atomically (all or none); `undefined` (nothing written) when busy, or
   * when there are more than one statement can carry.
   */
  appendAudit(rows: Insertable<AuditEventsTable>[]): MaybePromise<true | undefined>;
}

export interface DirectRead {
  row: Selectable<ConnectionsTable> | undefined;
}

/**
 * Every column of a connection, named: a prepared `select *` would fail on PostgreSQL once
 * another instance's migration added a column ("cached plan must not change result type").
 */
export const CONNECTION_COLUMNS = [
  'id',
  'connector_id',
  'user_id',
  'status',
  'scopes',
  'credentials',
  'metadata',
  'account',
  'expires_at',
  'refresh_expires_at',
  'version',
  'created_at',
  'updated_at',
  'last_used_at',
  'refresh_failures',
  'last_error',
  'next_attempt_at',
  'last_refreshed_at',
] as const satisfies readonly (keyof ConnectionsTable)[];

/** The columns of an audit row, in the order the direct inserts bind them. */
export const AUDIT_COLUMNS = [
  'id',
  'created_at',
  'action',
  'outcome',
  'reason',
  'actor_user_id',
  'api_key_id',
  'subject_user_id',
  'connector_id',
  'details',
] as const satisfies readonly (keyof AuditEventsTable)[];

/** `true` only when `Listed` names every column of `Table`; else `never`. */
type NamesEvery<Table, Listed> = [Exclude<keyof Table, Listed>] extends [never] ? true : never;
// A column added to a table but not to its list above fails the type check here.
const listsComplete: [
  NamesEvery<ConnectionsTable, (typeof CONNECTION_COLUMNS)[number]>,
  NamesEvery<AuditEventsTable, (typeof AUDIT_COLUMNS)[number]>,
] = [true, true];
void listsComplete;

/** An audit row's values, in `AUDIT_COLUMNS` order, as both direct inserts bind them. */
export function auditRowValues(row: Insertable<AuditEventsTable>): unknown[] {
  return AUDIT_COLUMNS.map((column) => row[column] ?? null);
}

/** Audit rows per insert statement: far below either dialect's bound-parameter limit. */
export const AUDIT_BATCH_ROWS = 200;

/** SQLite answers at once; PostgreSQL over the network. */
type MaybePromise<T> = T | Promise<T>;
