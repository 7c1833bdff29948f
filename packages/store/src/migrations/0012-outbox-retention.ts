import type { Kysely } from 'kysely';

/**
 * Indexes for the outbox's retention job: finished deliveries by their last attempt, and
 * events by age, so that each bounded delete reads only the rows it may delete.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('webhook_deliveries_finished')
    .on('webhook_deliveries')
    .columns(['status', 'last_attempt_at'])
    .execute();
  await db.schema
    .createIndex('connection_events_created_at')
    .on('connection_events')
    .column('created_at')
    .execute();
}
