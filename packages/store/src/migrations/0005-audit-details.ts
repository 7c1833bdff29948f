import type { Kysely } from 'kysely';

/**
 * Audit events get a place for structured details (JSON text): which fields a connector
 * update changed, say. Nullable, so every earlier event stays as it was.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('details', 'text').execute();
}
