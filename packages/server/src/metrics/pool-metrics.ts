import type { PoolUsage } from '@latchkey/store';
import { Gauge, type Registry } from 'prom-client';

/**
 * The PostgreSQL pool's connections, read from the pool at scrape time. SQLite has no pool:
 * with it these series are absent.
 */
export function registerPoolMetrics(registry: Registry, usage: () => PoolUsage): void {
  new Gauge({
    name: 'latchkey_database_pool_connections',
    help: 'PostgreSQL pool connections, by state (idle, in_use).',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const now = usage();
      this.set({ state: 'idle' }, now.idle);
      this.set({ state: 'in_use' }, now.open - now.idle);
    },
  });
  new Gauge({
    name: 'latchkey_database_pool_max_connections',
    help: 'The most connections the PostgreSQL pool opens (LATCHKEY_DATABASE_POOL_SIZE).',
    registers: [registry],
    collect() {
      this.set(usage().max);
    },
  });
  new Gauge({
    name: 'latchkey_database_pool_waiting_queries',
    help: 'Queries waiting for a free PostgreSQL pool connection.',
    registers: [registry],
    collect() {
      this.set(usage().waiting);
    },
  });
}
