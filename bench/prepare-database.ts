import type { TestProvider } from '@latchkey/testing';
import { loadConfig } from '../packages/server/src/config';
import { createLogger } from '../packages/server/src/logger';
import { openService } from '../packages/server/src/service';
import type { BenchEnvironment } from './bench-config';
import {
  connectThroughProvider,
  type OAuthConnection,
  startBenchProvider,
} from './oauth-connection';
import { type SeededConnections, seedConnections } from './seed-connections';

export interface PreparedDatabase {
  seeded: SeededConnections;
  oauthConnection: OAuthConnection;
  provider: TestProvider;
}

/**
 * Fills the service's database with the service's own code (openService, its vault, its
 * store), here in the bench process, then closes it: the server under test starts on a
 * ready database, so its idle `rss` is not inflated by the seeding.
 */
export async function prepareDatabase(
  env: BenchEnvironment,
  upstreamUrl: string,
): Promise<PreparedDatabase> {
  const config = loadConfig({ ...env.latchkeyEnv, LATCHKEY_JOBS_ENABLED: 'false' });
  const service = await openService(config, createLogger('warn'), { announce: () => {} });
  try {
    const seeded = await seedConnections(service, upstreamUrl);
    const provider = await startBenchProvider(service.deps.oauth.redirectUri);
    const oauthConnection = await connectThroughProvider(service, provider);
    return { seeded, oauthConnection, provider };
  } finally {
    await service.close();
  }
}
