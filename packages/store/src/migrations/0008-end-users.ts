import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * End users (people known only by an application's id for them) are rows of `users` with
 * kind `end_user`, so connections, flows, refresh and revocation work for them unchanged.
 * Connect sessions let them connect without logging in; a flow started by one names it.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('user'))
    .execute();
  // SQLite cannot add a UNIQUE column: the index carries it (NULLs never collide).
  await db.schema.alterTable('users').addColumn('external_id', 'text').execute();
  // External ids sort in code point order on PostgreSQL too, as usernames do (see 0006).
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table users alter column external_id type text collate "C"`.execute(db);
  }
  await db.schema.alterTable('users').addColumn('display_name', 'text').execute();
  await db.schema.alterTable('users').addColumn('email', 'text').execute();
  await db.schema
    .createIndex('users_external_id')
    .on('users')
    .column('external_id')
    .unique()
    .execute();

  await db.schema
    .createTable('connect_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('email', 'text')
    .addColumn('connector_ids', 'text')
    .addColumn('return_url', 'text')
    .addColumn('api_key_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('connect_sessions_external_id')
    .on('connect_sessions')
    .column('external_id')
    .execute();
  await db.schema
    .createIndex('connect_sessions_expires_at')
    .on('connect_sessions')
    .column('expires_at')
    .execute();

  await db.schema.alterTable('oauth_states').addColumn('connect_session_hash', 'text').execute();
}
