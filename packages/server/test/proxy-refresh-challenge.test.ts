import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connect, providerConnectorBody, storedTokens } from './support/oauth-harness';
import { expireAccessTokens, type ProxyScene, startProxyScene } from './support/proxy-scene';
import { ADMIN_PASSWORD } from './support/test-service';

/**
 * Some providers put a `WWW-Authenticate` challenge on every error answer of their token
 * endpoint, beside the RFC 6749 §5.2 JSON body. A refresh refused with `invalid_grant` that
 * way is still a grant that is gone (invariant 5): the body's code decides, whatever the
 * challenge says.
 */
describe('a refresh refused with invalid_grant and a WWW-Authenticate challenge', () => {
  let scene: ProxyScene;

  beforeAll(async () => {
    scene = await startProxyScene();
  });
  afterAll(() => scene.stop());
  beforeEach(() => scene.provider.setTokenResponseQuirks({}));

  const connection = () =>
    scene.service.deps.store.connections.find(scene.connectorId, scene.user.userId);
  /** Everything that reached the provider (the API's introspections included) or the API. */
  const traffic = () =>
    JSON.stringify({ provider: scene.provider.counts, api: scene.api.counts.requests });
  const reauthEvents = async () =>
    (await scene.service.deps.store.audit.page(500)).filter(
      (e) => e.action === 'connection_reauth_required' && e.subjectUserId === scene.user.userId,
    );
  async function listedStatus() {
    const list = await scene.service.request({
      method: 'GET',
      url: '/api/connectors',
      cookie: scene.user.cookie,
    });
    return list.json().connectors.find((c: { id: string }) => c.id === scene.connectorId)
      .userAuthStatus as string;
  }

  it.each([
    ['repeats the code', 'Bearer error="invalid_grant", error_description="grant revoked"'],
    ['carries no code', 'Basic realm="provider"'],
    ['names another code', 'Bearer error="invalid_client"'],
  ])(
    'challenge that %s: 409 reauth_required, tokens dropped, audited, then no more requests',
    async (_, challenge) => {
      await connect(scene.service, scene.user.cookie, scene.connectorId);
      expect(await listedStatus()).toBe('connected');
      const eventsBefore = (await reauthEvents()).length;
      scene.provider.setTokenResponseQuirks({ errorChallenge: challenge });
      scene.provider.revokeAllGrants();
      expireAccessTokens(scene.service);
      scene.provider.resetCounts();
      const apiBefore = scene.api.counts.requests;

      const response = await scene.proxied('after-revocation');
      expect([response.statusCode, response.json().error.code]).toEqual([409, 'reauth_required']);
      expect(scene.refreshes()).toBe(1);
      expect(scene.api.counts.requests).toBe(apiBefore);
      expect(await connection()).toMatchObject({
        status: 'reauth_required',
        sealedCredentials: null,
      });
      expect(
        await storedTokens(scene.service, scene.connectorId, scene.user.userId),
      ).toBeUndefined();
      expect(await listedStatus()).toBe('reauth_required');
      const events = await reauthEvents();
      expect(events).toHaveLength(eventsBefore + 1);
      expect(events[0]).toMatchObject({
        outcome: 'failure',
        reason: 'invalid_grant',
        connectorId: scene.connectorId,
      });

      const before = traffic();
      const again = await scene.proxied('again');
      expect([again.statusCode, again.json().error.code]).toEqual([409, 'reauth_required']);
      expect(traffic()).toBe(before);
    },
  );

  it('a 401 invalid_client challenge on refresh is the client, not the grant: the connection stays', async () => {
    await connect(scene.service, scene.user.cookie, scene.connectorId);
    const tokens = await storedTokens(scene.service, scene.connectorId, scene.user.userId);
    // Only the secret changes: the settings (and so the users' tokens) stay.
    const admin = await scene.service.login('admin', ADMIN_PASSWORD);
    const detail = await scene.service.request({
      method: 'GET',
      url: `/api/connectors/${scene.connectorId}`,
      cookie: admin,
    });
    const wrongSecret = {
      ...providerConnectorBody(scene.provider, { clientSecret: 'not-the-provider-secret' }),
      name: detail.json().name,
      config: detail.json().config,
    };
    const updated = await scene.service.request({
      method: 'PUT',
      url: `/api/connectors/${scene.connectorId}`,
      cookie: admin,
      body: wrongSecret,
    });
    expect(updated.statusCode).toBe(200);
    expireAccessTokens(scene.service);
    scene.provider.resetCounts();
    const eventsBefore = (await reauthEvents()).length;

    const response = await scene.proxied('wrong-secret');
    expect([response.statusCode, response.json().error.code]).toEqual([
      502,
      'oauth_client_authentication_failed',
    ]);
    expect(scene.refreshes()).toBe(1);
    expect((await connection())?.status).toBe('connected');
    expect(await storedTokens(scene.service, scene.connectorId, scene.user.userId)).toEqual(tokens);
    expect(await reauthEvents()).toHaveLength(eventsBefore);
  });
});
