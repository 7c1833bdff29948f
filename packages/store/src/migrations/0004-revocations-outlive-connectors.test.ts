import { type Kysely, Migrator, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../database';
import { openSqlite } from '../dialects/sqlite';
import { migrateToLatest } from '../migrate';
import { MIGRATIONS } from './index';

const QUEUED = {
  id: 'revocation-1',
  connector_id: 'connector-1',
  user_id: 'user-1',
  token: 'lk1.sealed-token',
  token_type_hint: 'refresh_token',
  attempts: 3,
  next_attempt_at: 1_000,
  created_at: 500,
};

/** An existing database at 0003 with one connector and one queued revocation, migrated up. */
describe('migration 0004: queued revocations outlive their connector', () => {
  let db: Kysely<Database>;

  beforeEach(async () => {
    db = openSqlite(':memory:');
    const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
    const { error } = await migrator.migrateTo('0003-api-keys');
    if (error) throw error;
    await db
      .insertInto('connectors')
      .values({
        id: QUEUED.connector_id,
        name: 'Example',
        provider: 'custom',
        auth_mode: 'per-user',
        config: '{}',
        secrets: 'lk1.sealed-secrets',
        config_version: 1,
        created_at: 0,
        updated_at: 0,
      })
      .execute();
    await db.insertInto('pending_revocations').values(QUEUED).execute();
    expect((await migrateToLatest(db)).at(0)).toBe('0004-revocations-outlive-connectors');
  });
  afterEach(() => db.destroy());

  it('keeps the queued rows as they were, with no client copy', async () => {
    const rows = await db.selectFrom('pending_revocations').selectAll().execute();
    expect(rows).toEqual([{ ...QUEUED, client: null }]);
  });

  it('no longer deletes the queue with the connector', async () => {
    await db.deleteFrom('connectors').where('id', '=', QUEUED.connector_id).execute();

    const rows = await db.selectFrom('pending_revocations').select('id').execute();
    expect(rows).toEqual([{ id: QUEUED.id }]);
  });

  it('keeps the index the retry job reads due rows through', async () => {
    const indexes = await sql<{ name: string }>`
      select name from sqlite_master where type = 'index' and tbl_name = 'pending_revocations'
    `.execute(db);
    expect(indexes.rows.map((row) => row.name)).toContain('pending_revocations_next_attempt_at');
  });
});
