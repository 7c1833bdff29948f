import { type Kysely, Migrator } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../database';
import { openSqlite } from '../dialects/sqlite';
import { migrateToLatest } from '../migrate';
import { MIGRATIONS } from './index';

const EVENT = {
  id: 'event-1',
  created_at: 1,
  action: 'oauth_connected',
  outcome: 'success',
  reason: null,
  actor_user_id: 'user-1',
  api_key_id: null,
  subject_user_id: 'user-1',
  connector_id: 'connector-1',
};

/** An existing database at 0004 with one audit event, migrated up. */
describe('migration 0005: audit events get details', () => {
  let db: Kysely<Database>;

  beforeEach(async () => {
    db = openSqlite(':memory:');
    const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
    const { error } = await migrator.migrateTo('0004-revocations-outlive-connectors');
    if (error) throw error;
    await db.insertInto('audit_events').values(EVENT).execute();
    expect((await migrateToLatest(db)).at(0)).toBe('0005-audit-details');
  });
  afterEach(() => db.destroy());

  it('keeps earlier events, without details', async () => {
    const rows = await db.selectFrom('audit_events').selectAll().execute();
    expect(rows).toEqual([{ ...EVENT, details: null }]);
  });

  it('stores details as JSON text', async () => {
    const details = JSON.stringify({ changes: { 'config.tokenUrl': 'changed' } });
    await db
      .insertInto('audit_events')
      .values({ ...EVENT, id: 'event-2', details })
      .execute();
    const row = await db
      .selectFrom('audit_events')
      .select('details')
      .where('id', '=', 'event-2')
      .executeTakeFirst();
    expect(row?.details).toBe(details);
  });
});
