import { type Kysely, Migrator } from 'kysely';
import type { Database } from './database';
import { MIGRATIONS } from './migrations/index';

/**
 * Brings the schema up to date. Idempotent; Kysely's migration lock makes concurrent starts
 * of several instances safe.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
