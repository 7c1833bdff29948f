import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import type pg from 'pg';
import type { Database } from '../database';
import { type PoolUsage, poolUsageOf } from '../pool-usage';

export interface PostgresOptions {
  poolSize: number;
  /** Bounds every statement, lock waits included; the server cancels it past this. */
  statementTimeoutMs: number;
  /** A pooled connection failed while idle (the server restarted, say). */
  onIdleError?: (error: Error) => void;
}

/**
 * SQLite has one writer: its transactions never interleave, and the domain's transactions
 * (check the last admin, then delete; read, then save) rely on that. On PostgreSQL every
 * `Store.transaction` takes this transaction-scoped advisory lock first, so they run one at
 * a time across every instance as well; single statements outside transactions do not wait.
 */
const TRANSACTION_LOCK_KEY = 0x4c4b_5458; // "LKTX"

/**
 * Kysely's own PostgreSQL dialect over a `pg` pool, and a reader of that pool's usage. `pg` is
 * loaded here, not with the module: an instance on SQLite never holds it in memory.
 */
export async function openPostgres(
  connectionString: string,
  options: PostgresOptions,
): Promise<{ db: Kysely<Database>; pool: pg.Pool; poolUsage: () => PoolUsage }> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize,
    statement_timeout: options.statementTimeoutMs,
  });
  // Without a listener, an idle connection's error would end the process.
  pool.on('error', options.onIdleError ?? (() => {}));
  return {
    db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
    pool,
    poolUsage: poolUsageOf(pool, options.poolSize),
  };
}

/** Takes the lock that serialises `Store` transactions; released at commit or rollback. */
export async function lockTransactions(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${TRANSACTION_LOCK_KEY})`.execute(trx);
}
