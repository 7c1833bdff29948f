import type pg from 'pg';

/**
 * A PostgreSQL pool's connections at one moment. SQLite has no pool: one connection per
 * process, and its writers queue inside SQLite itself.
 */
export interface PoolUsage {
  /** The most connections the pool opens (`LATCHKEY_DATABASE_POOL_SIZE`). */
  max: number;
  /** Connections open now, idle or in use. */
  open: number;
  idle: number;
  /** Queries waiting for a free connection. */
  waiting: number;
}

/** Reads a `pg` pool's own counters: nothing is queried, so a scrape costs no connection. */
export function poolUsageOf(pool: pg.Pool, max: number): () => PoolUsage {
  return () => ({
    max,
    open: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
  });
}
