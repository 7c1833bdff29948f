import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { connect, storedTokens } from './support/oauth-harness';
import { expireAccessTokens, type ProxyScene, startProxyScene } from './support/proxy-scene';

/**
 * RFC 6749 lets providers leave out `expires_in` (§5.1) and, on refresh, the new refresh
 * token (§6). Latchkey must cope with both without losing the connection.
 */
describe('token responses without (or with a zero) expires_in, or without a new refresh token', () => {
  let scene: ProxyScene;

  beforeAll(async () => {
    scene = await startProxyScene();
  });
  afterAll(() => scene.stop());
  beforeEach(() => {
    scene.provider.setTokenResponseQuirks({});
    scene.provider.resetCounts();
  });

  const connection = () =>
    scene.service.deps.store.connections.find(scene.connectorId, scene.user.userId);

  it('treats a token without expires_in as valid until the API answers 401', async () => {
    scene.provider.setTokenResponseQuirks({ omitExpiresIn: true });
    await connect(scene.service, scene.user.cookie, scene.connectorId);
    expect((await connection())?.expiresAt).toBeNull();
    scene.provider.resetCounts();

    // Days later by Latchkey's clock: no expiry known, so no refresh before the call.
    scene.service.clock.now += 5 * 24 * 3600 * 1000;
    const fresh = await scene.proxied('no-expiry');
    expect(fresh.statusCode).toBe(200);
    expect(scene.refreshes()).toBe(0);

    const { key } = await createApiKey(scene.service, ['tokens:read', 'on_behalf']);
    const token = await scene.service.request({
      method: 'GET',
      url: `/api/connectors/${scene.connectorId}/_token`,
      headers: { authorization: `ApiKey ${key}`, 'x-latchkey-user': scene.user.userId },
    });
    expect(token.json()).toMatchObject({ tokenType: expect.any(String), expiresAt: null });

    // The API refuses it: one forced refresh, and the refreshed token still has no expiry.
    scene.api.failNextWith401(1);
    const retried = await scene.proxied('refused-once');
    expect(retried.statusCode).toBe(200);
    expect(scene.refreshes()).toBe(1);
    expect((await connection())?.expiresAt).toBeNull();
    expect((await connection())?.status).toBe('connected');
  });

  it('reads expires_in 0 as no known expiry, not as a token to refresh on every call', async () => {
    await connect(scene.service, scene.user.cookie, scene.connectorId);
    scene.provider.setTokenResponseQuirks({ expiresIn: 0 });
    scene.provider.resetCounts();

    expireAccessTokens(scene.service);
    expect((await scene.proxied('refreshed')).statusCode).toBe(200);
    expect(scene.refreshes()).toBe(1);
    expect((await connection())?.expiresAt).toBeNull();
    for (const path of ['second', 'third', 'fourth']) {
      expect((await scene.proxied(path)).statusCode).toBe(200);
    }
    expect(scene.refreshes()).toBe(1);
  });

  it('keeps the old refresh token when a refresh response carries none', async () => {
    await connect(scene.service, scene.user.cookie, scene.connectorId);
    const before = await storedTokens(scene.service, scene.connectorId, scene.user.userId);
    scene.provider.setTokenResponseQuirks({ keepRefreshToken: true });
    scene.provider.resetCounts();

    expireAccessTokens(scene.service);
    expect((await scene.proxied('first-refresh')).statusCode).toBe(200);
    const after = await storedTokens(scene.service, scene.connectorId, scene.user.userId);
    expect(scene.refreshes()).toBe(1);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(after?.refreshToken).toBe(before?.refreshToken);
    expect((await scene.provider.introspect(before?.refreshToken as string)).active).toBe(true);

    // And it still works for the next refresh.
    expireAccessTokens(scene.service);
    expect((await scene.proxied('second-refresh')).statusCode).toBe(200);
    expect(scene.refreshes()).toBe(2);
    expect((await connection())?.status).toBe('connected');
  });
});
