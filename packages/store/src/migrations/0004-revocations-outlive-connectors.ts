import type { Kysely } from 'kysely';

const KEPT_COLUMNS = [
  'id',
  'connector_id',
  'user_id',
  'token',
  'token_type_hint',
  'attempts',
  'next_attempt_at',
  'created_at',
];

/**
 * A queued revocation outlives its connector: each row gets its own sealed copy of what the
 * revocation needs (`client`), and the foreign key that deleted the queue with its connector
 * goes. SQLite cannot drop a constraint, so the table is rebuilt, all or nothing (Kysely runs
 * SQLite migrations outside a transaction, PostgreSQL ones inside).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  if (db.isTransaction) return rebuildPendingRevocations(db);
  await db.transaction().execute(rebuildPendingRevocations);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's types
async function rebuildPendingRevocations(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('pending_revocations_rebuilt')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('connector_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('client', 'text')
    .addColumn('token_type_hint', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db
    .insertInto('pending_revocations_rebuilt')
    .columns(KEPT_COLUMNS)
    .expression(db.selectFrom('pending_revocations').select(KEPT_COLUMNS))
    .execute();
  await db.schema.dropTable('pending_revocations').execute();
  await db.schema
    .alterTable('pending_revocations_rebuilt')
    .renameTo('pending_revocations')
    .execute();
  await db.schema
    .createIndex('pending_revocations_next_attempt_at')
    .on('pending_revocations')
    .column('next_attempt_at')
    .execute();
}
