import type { Kysely } from 'kysely';

/**
 * Connections get their health: the last transient refresh failure (its error code, how many
 * in a row, and when the next attempt may go to the provider), and when a refresh last
 * renewed the tokens. Every earlier connection starts healthy and never refreshed. (The
 * keep-alive job reads per connector through the (connector, user) unique index.)
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('connections')
    .addColumn('refresh_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('connections').addColumn('last_error', 'text').execute();
  await db.schema.alterTable('connections').addColumn('next_attempt_at', 'bigint').execute();
  await db.schema.alterTable('connections').addColumn('last_refreshed_at', 'bigint').execute();
}
