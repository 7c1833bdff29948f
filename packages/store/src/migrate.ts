import { type Kysely, Migrator } from 'kysely';
import type { Database } from './database';
import { MIGRATIONS } from './migrations/index';

/** How long a starting instance waits for another one's migrations. */
const MIGRATION_LOCK_WAIT_MS = 120_000;

/**
 * Brings the schema up to date. Idempotent, and safe when several instances start at once:
 * Kysely's migrator runs the pending migrations in one transaction under a lock (an advisory
 * lock on PostgreSQL; on SQLite, the write lock `begin immediate` takes). Whoever waited
 * then finds nothing left to do.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const deadline = Date.now() + MIGRATION_LOCK_WAIT_MS;
  for (;;) {
    try {
      return await runMigrator(db);
    } catch (error) {
      // SQLite's busy timeout bounds one wait; migrations of a large database take longer.
      if (!isSqliteBusy(error) || Date.now() > deadline) throw error;
    }
  }
}

async function runMigrator(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
