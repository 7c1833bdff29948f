import type { Kysely } from 'kysely';

/**
 * Connections get a place for the non-secret values a provider hands out with the tokens
 * (Salesforce's `instance_url`, Slack's team id, QuickBooks' `realmId`): JSON text. Nullable,
 * so every earlier connection stays as it was.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('connections').addColumn('metadata', 'text').execute();
}
