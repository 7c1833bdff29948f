import { randomBytes } from 'node:crypto';

/** Where and how the service under test stores its data; shared by setup and the server. */
export interface BenchEnvironment {
  dataDir: string;
  /** `LATCHKEY_*` variables for `loadConfig`. */
  latchkeyEnv: Record<string, string>;
}

export const ADMIN_PASSWORD = 'bench-admin-password';

/**
 * Logging at `warn`: at the default `info` Fastify writes two JSON lines per request, which
 * would measure pino and the pipe rather than Latchkey (see docs/performance.md).
 */
export function benchEnvironment(dataDir: string): BenchEnvironment {
  return {
    dataDir,
    latchkeyEnv: {
      LATCHKEY_DATA_DIR: dataDir,
      LATCHKEY_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
      LATCHKEY_ADMIN_PASSWORD: ADMIN_PASSWORD,
      // Only browsers use it (cookies, redirect URI); the bench drives OAuth in-process.
      LATCHKEY_PUBLIC_BASE_URL: 'http://localhost:5601',
      LATCHKEY_ALLOW_HTTP_LOOPBACK: 'true',
      LATCHKEY_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      // Counted as in production, on a port of its own: benches may run side by side.
      LATCHKEY_METRICS_ADDRESS: '127.0.0.1:0',
    },
  };
}
