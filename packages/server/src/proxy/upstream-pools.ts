import { type buildConnector, Pool } from 'undici';

export interface UpstreamPools {
  /** A keep-alive pool per API origin; redirects are never followed by undici's request. */
  forOrigin(origin: string): Pool;
  close(): Promise<void>;
}

/**
 * `connect` opens each connection through the egress policy (egress.ts); it also bounds the
 * time to connect, which undici's `connectTimeout` cannot do for a connector of one's own.
 */
export function createUpstreamPools(
  timeoutMs: number,
  connect: buildConnector.connector,
): UpstreamPools {
  const pools = new Map<string, Pool>();
  return {
    forOrigin(origin) {
      let pool = pools.get(origin);
      if (!pool) {
        pool = new Pool(origin, {
          connections: 128,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          connect,
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
