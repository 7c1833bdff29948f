import { type ResourceApi, startResourceApi, type TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { connect, createProviderConnector, startProvider } from './support/oauth-harness';
import { startTestService, type TestService } from './support/test-service';

describe('proxy with token refresh (real oidc-provider, real resource API)', () => {
  let provider: TestProvider;
  let api: ResourceApi;
  let service: TestService;
  let connectorId: string;
  let viewer: { cookie: string; userId: string };

  beforeAll(async () => {
    provider = await startProvider();
    api = await startResourceApi({ provider });
    service = await startTestService();
    connectorId = await createProviderConnector(service, provider, {
      apiBaseUrl: `${api.url}/v1/`,
    });
    viewer = await service.sessionFor('viewer');
    await connect(service, viewer.cookie, connectorId);
  });
  afterAll(async () => {
    await service.stop();
    await api.stop();
    await provider.stop();
  });

  const proxied = (path: string, headers: Record<string, string> = {}) =>
    service.request({
      method: 'GET',
      url: `/api/connectors/${connectorId}/proxy/${path}`,
      cookie: viewer.cookie,
      headers,
    });

  async function storedRefreshToken() {
    const connection = await service.deps.store.connections.find(connectorId, viewer.userId);
    const credentials = JSON.parse(
      service.deps.vault.decrypt(connection!.sealedCredentials!, {
        table: 'connections',
        column: 'credentials',
        rowId: connection!.id,
      }),
    );
    return credentials.refreshToken as string;
  }

  it('forwards a call with the user token under the base URL', async () => {
    const response = await proxied('things?x=1');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ ok: true, path: '/v1/things', method: 'GET' });
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('refreshes once after expiry, stores the rotated refresh token, and the old one dies', async () => {
    const before = await storedRefreshToken();
    provider.resetCounts();
    service.clock.now += 2 * 3600 * 1000;
    const response = await proxied('after-expiry');
    expect(response.statusCode).toBe(200);
    expect(provider.counts.tokenByGrant.refresh_token).toBe(1);
    const after = await storedRefreshToken();
    expect(after).not.toBe(before);
    expect((await provider.introspect(before)).active).toBe(false);
    expect((await provider.introspect(after)).active).toBe(true);
  });

  it('coalesces 200 concurrent calls on an expired connection into one refresh', async () => {
    provider.resetCounts();
    service.clock.now += 2 * 3600 * 1000;
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => proxied(`burst/${i}`)),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(200).fill(200));
    expect(provider.counts.tokenByGrant.refresh_token).toBe(1);
  });

  it('refreshes once and retries once when the API answers 401', async () => {
    provider.resetCounts();
    api.failNextWith401(1);
    const response = await proxied('retry-me');
    expect(response.statusCode).toBe(200);
    expect(provider.counts.tokenByGrant.refresh_token).toBe(1);
  });

  it('coalesces 200 concurrent _token calls by a key acting for the user into one refresh', async () => {
    const { key } = await createApiKey(service, ['tokens:read', 'on_behalf']);
    const before = await storedRefreshToken();
    provider.resetCounts();
    service.clock.now += 2 * 3600 * 1000;
    const responses = await Promise.all(
      Array.from({ length: 200 }, () =>
        service.request({
          method: 'GET',
          url: `/api/connectors/${connectorId}/_token`,
          headers: { authorization: `ApiKey ${key}`, 'x-latchkey-user': viewer.userId },
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(200).fill(200));
    expect(provider.counts.tokenByGrant.refresh_token).toBe(1);
    const tokens = new Set(responses.map((r) => r.json().accessToken));
    expect(tokens.size).toBe(1);
    expect((await provider.introspect([...tokens][0])).active).toBe(true);
    expect(await storedRefreshToken()).not.toBe(before);
  });

  it('serves an API key acting for the user, and audits it', async () => {
    const { key, id } = await createApiKey(service, ['proxy', 'tokens:read', 'on_behalf']);
    service.clock.now += 1; // newest audit event first, ahead of earlier tests' events
    const response = await service.request({
      method: 'GET',
      url: `/api/connectors/${connectorId}/_token`,
      headers: { authorization: `ApiKey ${key}`, 'x-latchkey-user': viewer.userId },
    });
    expect(response.statusCode).toBe(200);
    expect((await provider.introspect(response.json().accessToken)).active).toBe(true);
    const events = await service.deps.store.audit.page(5);
    expect(events[0]).toMatchObject({
      action: 'api_key_used',
      apiKeyId: id,
      subjectUserId: viewer.userId,
      reason: 'token',
    });
  });
});
