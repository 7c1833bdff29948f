import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { storedTokens } from './support/oauth-harness';
import { expireAccessTokens, type ProxyScene, startProxyScene } from './support/proxy-scene';

describe('proxy with token refresh (real oidc-provider, real resource API)', () => {
  let scene: ProxyScene;

  beforeAll(async () => {
    scene = await startProxyScene({ apiPath: '/v1/' });
  });
  afterAll(() => scene.stop());

  async function storedRefreshToken() {
    const tokens = await storedTokens(scene.service, scene.connectorId, scene.user.userId);
    if (!tokens?.refreshToken) throw new Error('no refresh token stored');
    return tokens.refreshToken;
  }
  const tokenFor = (key: string) =>
    scene.service.request({
      method: 'GET',
      url: `/api/connectors/${scene.connectorId}/_token`,
      headers: { authorization: `ApiKey ${key}`, 'x-latchkey-user': scene.user.userId },
    });

  it('forwards a call with the user token under the base URL', async () => {
    const response = await scene.proxied('things?x=1');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ ok: true, path: '/v1/things', method: 'GET' });
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('refreshes once after expiry, stores the rotated refresh token, and the old one dies', async () => {
    const before = await storedRefreshToken();
    scene.provider.resetCounts();
    expireAccessTokens(scene.service);
    const response = await scene.proxied('after-expiry');
    expect(response.statusCode).toBe(200);
    expect(scene.refreshes()).toBe(1);
    const after = await storedRefreshToken();
    expect(after).not.toBe(before);
    expect((await scene.provider.introspect(before)).active).toBe(false);
    expect((await scene.provider.introspect(after)).active).toBe(true);
  });

  it('coalesces 200 concurrent calls on an expired connection into one refresh', async () => {
    scene.provider.resetCounts();
    expireAccessTokens(scene.service);
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => scene.proxied(`burst/${i}`)),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(200).fill(200));
    expect(scene.refreshes()).toBe(1);
  });

  it('refreshes once and retries once when the API answers 401', async () => {
    scene.provider.resetCounts();
    scene.api.failNextWith401(1);
    const response = await scene.proxied('retry-me');
    expect(response.statusCode).toBe(200);
    expect(scene.refreshes()).toBe(1);
  });

  it('coalesces 200 concurrent _token calls by a key acting for the user into one refresh', async () => {
    const { key } = await createApiKey(scene.service, ['tokens:read', 'on_behalf']);
    const before = await storedRefreshToken();
    scene.provider.resetCounts();
    expireAccessTokens(scene.service);
    const responses = await Promise.all(Array.from({ length: 200 }, () => tokenFor(key)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(200).fill(200));
    expect(scene.refreshes()).toBe(1);
    const tokens = new Set(responses.map((r) => r.json().accessToken));
    expect(tokens.size).toBe(1);
    expect((await scene.provider.introspect([...tokens][0])).active).toBe(true);
    expect(await storedRefreshToken()).not.toBe(before);
  });

  it('serves an API key acting for the user, and audits it', async () => {
    const { key, id } = await createApiKey(scene.service, ['proxy', 'tokens:read', 'on_behalf']);
    scene.service.clock.now += 1; // newest audit event first, ahead of earlier tests' events
    const response = await tokenFor(key);
    expect(response.statusCode).toBe(200);
    expect((await scene.provider.introspect(response.json().accessToken)).active).toBe(true);
    const events = await scene.service.deps.store.audit.page(5);
    expect(events[0]).toMatchObject({
      action: 'api_key_used',
      apiKeyId: id,
      subjectUserId: scene.user.userId,
      reason: 'token',
    });
  });
});
