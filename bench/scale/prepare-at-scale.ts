import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProvider } from '@latchkey/testing';
import { loadConfig } from '../../packages/server/src/config';
import { createLogger } from '../../packages/server/src/logger';
import { openService } from '../../packages/server/src/service';
import { type BenchEnvironment, benchEnvironment } from '../bench-config';
import {
  connectThroughProvider,
  type OAuthConnection,
  startBenchProvider,
} from '../oauth-connection';
import type { SeededConnections } from '../seed-connections';
import { createScaleDatabase, type ScaleDatabase, type ScaleDialect } from './scale-database';
import { type SeedFigures, seedAtScale } from './seed-at-scale';

/** A seeded database of one scenario, its settings, and the provider of its OAuth connection. */
export interface ScaleSetup {
  dialect: ScaleDialect;
  env: BenchEnvironment;
  database: ScaleDatabase;
  seeded: SeededConnections;
  seed: SeedFigures;
  oauthConnection: OAuthConnection;
  provider: TestProvider;
  baselineEnv: Record<string, string>;
  /** Stops the provider, drops the database and deletes the data directory. */
  close(): Promise<void>;
}

/**
 * Migrates and bootstraps through the service's own code (openService), seeds in bulk while
 * it is open, connects one user through a real provider, then closes it: the servers under
 * test start on a ready database.
 */
export async function prepareAtScale(
  dialect: ScaleDialect,
  connectionCount: number,
  upstreamUrl: string,
): Promise<ScaleSetup> {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-bench-scale-'));
  const database = await createScaleDatabase(dialect, dataDir).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const base = benchEnvironment(dataDir);
  const env = { dataDir, latchkeyEnv: { ...base.latchkeyEnv, ...database.latchkeyEnv } };
  const config = loadConfig({ ...env.latchkeyEnv, LATCHKEY_JOBS_ENABLED: 'false' });
  const service = await openService(config, createLogger('warn'), { announce: () => {} });
  let provider: TestProvider | undefined;
  try {
    const { seeded, figures } = await seedAtScale(
      service,
      upstreamUrl,
      () => database.openSink(),
      connectionCount,
    );
    provider = await startBenchProvider(service.deps.oauth.redirectUri);
    const oauthConnection = await connectThroughProvider(service, provider);
    await service.close();
    const started = provider;
    return {
      dialect,
      env,
      database,
      seeded,
      seed: figures,
      oauthConnection,
      provider: started,
      baselineEnv: database.baselineEnv(),
      async close() {
        await started.stop();
        await database.drop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await service.close().catch(() => {});
    await provider?.stop();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
