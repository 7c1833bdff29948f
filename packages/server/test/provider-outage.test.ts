import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { statusOf, storedTokens } from './support/oauth-harness';
import { expireAccessTokens, type ProxyScene, startProxyScene } from './support/proxy-scene';

/** An outage is not a revoked grant: 502, and the connection stays as it was. */
describe('the provider is down while a token needs refreshing', () => {
  let scene: ProxyScene;
  let tokenKey: string;

  beforeAll(async () => {
    scene = await startProxyScene();
    tokenKey = (await createApiKey(scene.service, ['tokens:read', 'on_behalf'])).key;
  });
  afterAll(() => scene.stop());

  const readToken = () =>
    scene.service.request({
      method: 'GET',
      url: `/api/connectors/${scene.connectorId}/_token`,
      headers: { authorization: `ApiKey ${tokenKey}`, 'x-latchkey-user': scene.user.userId },
    });

  it('answers 502 provider_unavailable and keeps the connection connected', async () => {
    const before = await storedTokens(scene.service, scene.connectorId, scene.user.userId);
    await scene.provider.stop();
    expireAccessTokens(scene.service);
    const apiBefore = scene.api.counts.requests;

    for (const response of [await scene.proxied('while-down'), await readToken()]) {
      expect(response.statusCode).toBe(502);
      expect(response.json().error.code).toBe('provider_unavailable');
    }
    expect(scene.api.counts.requests).toBe(apiBefore);
    expect(await statusOf(scene.service, scene.user.cookie, scene.connectorId)).toBe('connected');
    const stored = await scene.service.deps.store.connections.find(
      scene.connectorId,
      scene.user.userId,
    );
    expect(stored?.status).toBe('connected');
    expect(await storedTokens(scene.service, scene.connectorId, scene.user.userId)).toEqual(before);
    const reauth = (await scene.service.deps.store.audit.page(100)).filter(
      (e) => e.action === 'connection_reauth_required',
    );
    expect(reauth).toEqual([]);
  });

  it('works again, with one refresh, once the provider is back', async () => {
    await scene.provider.start();
    scene.provider.resetCounts();
    const response = await scene.proxied('after-outage');
    expect(response.statusCode).toBe(200);
    expect(scene.refreshes()).toBe(1);
    expect((await readToken()).statusCode).toBe(200);
    expect(scene.refreshes()).toBe(1);
  });
});
