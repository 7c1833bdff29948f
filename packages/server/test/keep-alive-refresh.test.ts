import type { TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connect,
  createProviderConnector,
  providerConnectorBody,
  sessionsFor,
  startOAuthService,
  startProvider,
  storedTokens,
  type UserSession,
} from './support/oauth-harness';
import type { TestService } from './support/test-service';

const DAY_MS = 86_400_000;

/**
 * The keep-alive job renews the connections of connectors that opted in before a refresh
 * token would lapse unused, and leaves every other connection alone. Access tokens live ten
 * days here, so only disuse makes a connection due.
 */
describe('the keep-alive job (real oidc-provider)', () => {
  let provider: TestProvider;
  let service: TestService;
  let keptAlive: string;
  let plain: string;
  let users: UserSession[];

  beforeAll(async () => {
    provider = await startProvider('latchkey', { accessTokenTtlSeconds: 10 * 86400 });
    service = await startOAuthService({ LATCHKEY_KEEP_ALIVE_JITTER_SECONDS: '0' });
    keptAlive = await createProviderConnector(service, provider, {
      keepAlive: { refreshTokenIdleDays: 4 },
    });
    plain = await createProviderConnector(service, provider);
    users = await sessionsFor(service, 'viewer', 'viewer', 'viewer');
    for (const user of users) await connect(service, user.cookie, keptAlive);
    await connect(service, users[0]?.cookie ?? '', plain);
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
  });

  const runKeepAlive = async () => {
    provider.resetCounts();
    expect(await service.jobs.runNow('keep-alive')).toBe(true);
    return provider.counts.tokenByGrant.refresh_token ?? 0;
  };
  const connectionOf = (connectorId: string, user: UserSession | undefined) =>
    service.deps.store.connections.find(connectorId, user?.userId ?? '');

  it('leaves connections alone while none is halfway to lapsing', async () => {
    service.clock.now += 1.9 * DAY_MS;
    expect(await runKeepAlive()).toBe(0);
  });

  it('refreshes each opted-in connection once, before its refresh token would lapse', async () => {
    const before = await storedTokens(service, keptAlive, users[1]?.userId ?? '');
    const used = (await connectionOf(keptAlive, users[1]))?.lastUsedAt;
    service.clock.now += 0.2 * DAY_MS;
    expect(await runKeepAlive()).toBe(3);

    const after = await storedTokens(service, keptAlive, users[1]?.userId ?? '');
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    const renewed = await connectionOf(keptAlive, users[1]);
    expect(renewed).toMatchObject({
      status: 'connected',
      lastRefreshedAt: service.clock.now,
      updatedAt: service.clock.now,
      // A keep-alive refresh is not a use: the unused-connection purge still sees disuse.
      lastUsedAt: used,
    });
    const untouched = await connectionOf(plain, users[0]);
    expect(untouched?.lastRefreshedAt).toBeNull();
  });

  it('does not refresh them again until they are due again', async () => {
    service.clock.now += 1.9 * DAY_MS;
    expect(await runKeepAlive()).toBe(0);
    service.clock.now += 0.2 * DAY_MS;
    expect(await runKeepAlive()).toBe(3);
  });

  it('leaves a connection cooling down after a failure for after its cool-down', async () => {
    service.clock.now += 2.1 * DAY_MS;
    provider.setTokenEndpointAvailable(false);
    expect(await runKeepAlive()).toBe(0);
    expect(provider.counts.tokenWhileUnavailable).toBe(3);
    expect(await runKeepAlive()).toBe(0);
    expect(provider.counts.tokenWhileUnavailable).toBe(0);

    provider.setTokenEndpointAvailable(true);
    service.clock.now += 30_000;
    expect(await runKeepAlive()).toBe(3);
    expect((await connectionOf(keptAlive, users[2]))?.refreshFailure).toBeNull();
  });

  it('keeps the connections when keep-alive is turned off', async () => {
    const { name } = (
      await service.asAdmin({ method: 'GET', url: `/api/connectors/${keptAlive}` })
    ).json();
    const updated = await service.asAdmin({
      method: 'PUT',
      url: `/api/connectors/${keptAlive}`,
      body: providerConnectorBody(provider, { name }),
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().config.keepAlive).toBeUndefined();
    for (const user of users) {
      expect((await connectionOf(keptAlive, user))?.status).toBe('connected');
    }
    service.clock.now += 5 * DAY_MS;
    expect(await runKeepAlive()).toBe(0);
  });
});
