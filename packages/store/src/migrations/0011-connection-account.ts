import type { Kysely } from 'kysely';

/**
 * Connections get the display identity of the account they were granted by (an email, a
 * login), so a person with two accounts at a provider sees which one is in use. Nullable:
 * earlier connections, and providers that say nothing of the account, have none.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('connections').addColumn('account', 'text').execute();
}
