import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestPostgresDatabase } from '@latchkey/testing';
import { startTestService, type TestService } from './test-service';

/**
 * A service on a copy of a stopped service's data, never on the data itself: a copy of its
 * data directory (the SQLite file with it) and, on PostgreSQL, a copy of its database
 * (`CREATE DATABASE … TEMPLATE`, which wants no connection open on the original). `stop`
 * removes both copies.
 */
export async function startServiceOnCopy(
  original: TestService,
  env: Record<string, string>,
): Promise<TestService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-copy-'));
  cpSync(original.dataDir, dataDir, { recursive: true });
  if (original.database.dialect !== 'postgres') return startTestService(env, dataDir);
  const template = new URL(original.database.url).pathname.slice(1);
  const copy = await createTestPostgresDatabase({ template });
  try {
    const service = await startTestService({ ...env, LATCHKEY_DATABASE_URL: copy.url }, dataDir);
    return {
      ...service,
      async stop(options) {
        await service.stop(options);
        if (!options?.keepData) await copy.drop();
      },
    };
  } catch (error) {
    await copy.drop();
    throw error;
  }
}
