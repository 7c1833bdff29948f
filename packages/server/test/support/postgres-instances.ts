import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, killProcessGroup, type SpawnedService, spawnService } from './spawned-service';
import { ADMIN_PASSWORD, PUBLIC_BASE_URL, TEST_KEY_A } from './test-service';

export interface Instance {
  service: SpawnedService;
  baseUrl: string;
}

export interface Instances {
  list: Instance[];
  /** SIGKILLs every process group still running and removes their data directory. */
  stop(): Promise<void>;
}

/**
 * Real service processes (each in its own process group) on one PostgreSQL database, with
 * the keys and public URL of the in-process test services, so one of those can set them up.
 */
export async function startPostgresInstances(
  databaseUrl: string,
  count: number,
  env: Record<string, string> = {},
): Promise<Instances> {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-instances-'));
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const list = ports.map((port) => ({
    service: spawnService(
      {
        LATCHKEY_DATA_DIR: dataDir,
        LATCHKEY_DATABASE_URL: databaseUrl,
        LATCHKEY_DATABASE_POOL_SIZE: '4',
        LATCHKEY_ENCRYPTION_KEYS: TEST_KEY_A,
        LATCHKEY_ADMIN_PASSWORD: ADMIN_PASSWORD,
        LATCHKEY_PUBLIC_BASE_URL: PUBLIC_BASE_URL,
        LATCHKEY_PORT: String(port),
        LATCHKEY_ALLOW_HTTP_LOOPBACK: 'true',
        LATCHKEY_JOBS_ENABLED: 'false',
        LATCHKEY_LOG_LEVEL: 'warn',
        ...env,
      },
      { detached: true },
    ),
    baseUrl: `http://127.0.0.1:${port}`,
  }));
  const stop = async () => {
    await Promise.all(list.map(({ service }) => killProcessGroup(service)));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await Promise.all(list.map(({ service, baseUrl }) => service.waitUntilReady(baseUrl, 60_000)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { list, stop };
}
