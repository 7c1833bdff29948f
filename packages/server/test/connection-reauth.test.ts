import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { connect, statusOf } from './support/oauth-harness';
import { expireAccessTokens, type ProxyScene, startProxyScene } from './support/proxy-scene';

/** Invariant 5: `invalid_grant` → `reauth_required`, never a silent "connected" that no longer works. */
describe('a grant the provider no longer honours', () => {
  let scene: ProxyScene;
  let tokenKey: string;

  beforeAll(async () => {
    scene = await startProxyScene();
    tokenKey = (await createApiKey(scene.service, ['tokens:read', 'on_behalf'])).key;
  });
  afterAll(() => scene.stop());
  beforeEach(() => scene.provider.resetCounts());

  const connection = () =>
    scene.service.deps.store.connections.find(scene.connectorId, scene.user.userId);
  const readToken = () =>
    scene.service.request({
      method: 'GET',
      url: `/api/connectors/${scene.connectorId}/_token`,
      headers: { authorization: `ApiKey ${tokenKey}`, 'x-latchkey-user': scene.user.userId },
    });
  /** Everything that reached the provider (the API's introspections included) or the API. */
  const traffic = () =>
    JSON.stringify({ provider: scene.provider.counts, api: scene.api.counts.requests });
  const reauthEvents = async () =>
    (await scene.service.deps.store.audit.page(500)).filter(
      (e) => e.action === 'connection_reauth_required' && e.subjectUserId === scene.user.userId,
    );
  async function expectStatusEverywhere(status: string) {
    const { cookie } = scene.user;
    expect(await statusOf(scene.service, cookie, scene.connectorId)).toBe(status);
    const list = await scene.service.request({ method: 'GET', url: '/api/connectors', cookie });
    const listed = list.json().connectors.find((c: { id: string }) => c.id === scene.connectorId);
    expect(listed.userAuthStatus).toBe(status);
    const mine = await scene.service.request({
      method: 'POST',
      url: '/api/connectors/_me/auth_status',
      cookie,
      body: {},
    });
    expect(mine.json()[scene.connectorId]).toMatchObject({
      user_auth_status: status,
      connection: { status },
    });
  }

  it('revoked grant, expired token: one refresh attempt for 20 concurrent calls, then 409', async () => {
    scene.provider.revokeAllGrants();
    expireAccessTokens(scene.service);
    const apiBefore = scene.api.counts.requests;
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => scene.proxied(`call/${i}`)),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(409));
    expect(responses.map((r) => r.json().error.code)).toEqual(Array(20).fill('reauth_required'));
    expect(scene.refreshes()).toBe(1);
    expect(scene.api.counts.requests).toBe(apiBefore);
    const stored = await connection();
    expect(stored).toMatchObject({ status: 'reauth_required', sealedCredentials: null });
  });

  it('answers 409 at once afterwards, without asking the provider or the API', async () => {
    const before = traffic();
    for (const response of [await scene.proxied('again'), await readToken()]) {
      expect(response.statusCode).toBe(409);
      expect(response.json().error.code).toBe('reauth_required');
    }
    expect(traffic()).toBe(before);
  });

  it('shows reauth_required in the list, the detail and _me/auth_status, and audits it', async () => {
    await expectStatusEverywhere('reauth_required');
    const events = await reauthEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      outcome: 'failure',
      reason: 'invalid_grant',
      connectorId: scene.connectorId,
    });
  });

  it('connecting again restores connected, and calls work', async () => {
    await connect(scene.service, scene.user.cookie, scene.connectorId);
    await expectStatusEverywhere('connected');
    expect((await scene.proxied('restored')).statusCode).toBe(200);
    expect((await readToken()).statusCode).toBe(200);
  });

  it('revoked grant, fresh token: the API refuses it, one forced refresh, then 409', async () => {
    scene.provider.revokeAllGrants();
    const response = await scene.proxied('refused');
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('reauth_required');
    expect(scene.refreshes()).toBe(1);
    expect((await connection())?.status).toBe('reauth_required');
    await connect(scene.service, scene.user.cookie, scene.connectorId);
  });

  it('a refresh token known to be expired: reauth_required without any request', async () => {
    const current = await connection();
    if (current?.status !== 'connected') throw new Error('not connected');
    const now = scene.service.clock.now;
    const expired = { ...current, expiresAt: now - 1000, refreshExpiresAt: now - 1 };
    expect(
      await scene.service.deps.store.connections.replaceIfVersion(expired, current.version),
    ).toBe(true);
    scene.provider.resetCounts();
    const before = traffic();

    const response = await scene.proxied('expired-refresh-token');
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('reauth_required');
    expect(traffic()).toBe(before);
    expect(scene.provider.counts.token).toBe(0);
    await expectStatusEverywhere('reauth_required');
    expect((await reauthEvents()).map((e) => e.reason)).toContain('refresh_token_expired');
  });
});
