import { performance } from 'node:perf_hooks';
import {
  createTestPostgresDatabase,
  type TestPostgresDatabase,
  type TestProvider,
} from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import {
  connect,
  createProviderConnector,
  startOAuthService,
  startProvider,
  storedTokens,
  type UserSession,
} from './support/oauth-harness';
import type { TestService } from './support/test-service';

const LOCK_WAIT_MS = 400;
const PROVIDER_TIMEOUT_MS = 1000;
/** The refresh lease's lifetime: twice the provider timeout. */
const LEASE_TTL_MS = 2 * PROVIDER_TIMEOUT_MS;

/**
 * An instance died holding a connection's refresh lease: its row stays until it expires.
 * Callers meanwhile wait at most `LATCHKEY_REFRESH_LOCK_WAIT_MS`, then hear when to retry.
 */
describe('a refresh lease whose holder died', () => {
  let database: TestPostgresDatabase;
  let provider: TestProvider;
  let service: TestService;
  let connectorId: string;
  let user: UserSession;
  let key: string;

  beforeAll(async () => {
    database = await createTestPostgresDatabase();
    provider = await startProvider();
    service = await startOAuthService({
      LATCHKEY_DATABASE_URL: database.url,
      LATCHKEY_REFRESH_LOCK_WAIT_MS: String(LOCK_WAIT_MS),
      LATCHKEY_PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
    });
    connectorId = await createProviderConnector(service, provider);
    user = await service.sessionFor('viewer');
    await connect(service, user.cookie, connectorId);
    ({ key } = await createApiKey(service, ['tokens:read', 'on_behalf']));
  });
  afterAll(async () => {
    await service?.stop();
    await provider.stop();
    await database?.drop();
  });

  const tokenCall = () =>
    service.request({
      method: 'GET',
      url: `/api/connectors/${connectorId}/_token`,
      headers: { authorization: `ApiKey ${key}`, 'x-latchkey-user': user.userId },
    });

  it('answers 503 refresh_busy with Retry-After within the bound, then refreshes once it expires', async () => {
    const original = await storedTokens(service, connectorId, user.userId);
    service.clock.now += 2 * 3600 * 1000;
    const taken = await service.deps.store.leases.tryAcquire(
      `refresh:${connectorId}:${user.userId}`,
      'an-instance-that-died',
      service.clock.now,
      LEASE_TTL_MS,
    );
    expect(taken).toBe(true);
    provider.resetCounts();

    const started = performance.now();
    const busy = await tokenCall();
    const waitedMs = performance.now() - started;

    expect([busy.statusCode, busy.json().error.code]).toEqual([503, 'refresh_busy']);
    expect(busy.headers['retry-after']).toBe('1');
    expect(waitedMs).toBeGreaterThanOrEqual(LOCK_WAIT_MS - 50);
    expect(waitedMs).toBeLessThan(LOCK_WAIT_MS + 1500);
    expect(provider.counts.tokenByGrant.refresh_token ?? 0).toBe(0);

    service.clock.now += LEASE_TTL_MS;
    const refreshed = await tokenCall();
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.json().accessToken).not.toBe(original?.accessToken);
    expect(provider.counts.tokenByGrant.refresh_token).toBe(1);
  });
});
