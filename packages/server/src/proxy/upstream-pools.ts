import { Pool } from 'undici';

export interface UpstreamPools {
  /** A keep-alive pool per API origin; redirects are never followed by undici's request. */
  forOrigin(origin: string): Pool;
  close(): Promise<void>;
}

export function createUpstreamPools(timeoutMs: number): UpstreamPools {
  const pools = new Map<string, Pool>();
  return {
    forOrigin(origin) {
      let pool = pools.get(origin);
      if (!pool) {
        pool = new Pool(origin, {
          connections: 128,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          connectTimeout: Math.min(timeoutMs, 10_000),
        });
        pools.set(origin, pool);
      }
      return pool;
    },
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.close()));
      pools.clear();
    },
  };
}
