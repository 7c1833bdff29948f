import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { type ProxyScene, startProxyScene } from './support/proxy-scene';
import { ADMIN_PASSWORD } from './support/test-service';

/** Invariant 6: a user can only ever use their own connection. User A is connected; B is not. */
describe('who may use a connection through the proxy and _token', () => {
  let scene: ProxyScene;
  let userB: { cookie: string; userId: string };
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    scene = await startProxyScene();
    userB = await scene.service.sessionFor('viewer');
    const permissionSets = {
      proxyOnly: ['proxy'],
      proxyOnBehalf: ['proxy', 'on_behalf'],
      tokensOnly: ['tokens:read'],
      tokensOnBehalf: ['tokens:read', 'on_behalf'],
      revoked: ['proxy', 'tokens:read', 'on_behalf'],
    };
    const ids: Record<string, string> = {};
    for (const [name, permissions] of Object.entries(permissionSets)) {
      ({ key: (keys[name] as string), id: (ids[name] as string) } = await createApiKey(
        scene.service,
        permissions,
        name,
      ));
    }
    const admin = await scene.service.login('admin', ADMIN_PASSWORD);
    const revocation = await scene.service.request({
      method: 'DELETE',
      url: `/api/api_keys/${ids.revoked}`,
      cookie: admin,
    });
    expect(revocation.statusCode).toBe(204);
  });
  afterAll(() => scene.stop());

  const userA = () => scene.user;
  const withKey = (key: string, actingUser?: string): Record<string, string> => ({
    authorization: `ApiKey ${key}`,
    ...(actingUser ? { 'x-latchkey-user': actingUser } : {}),
  });
  const readToken = (headers: Record<string, string>, cookie?: string) =>
    scene.service.request({
      method: 'GET',
      url: `/api/connectors/${scene.connectorId}/_token`,
      headers,
      ...(cookie ? { cookie } : {}),
    });
  /** Runs the calls and asserts that none of them reached the API or the provider. */
  async function nothingLeaves(calls: () => Promise<void>) {
    const apiBefore = scene.api.counts.requests;
    scene.provider.resetCounts();
    await calls();
    expect(scene.api.counts.requests).toBe(apiBefore);
    expect(scene.provider.counts.token + scene.provider.counts.introspection).toBe(0);
  }
  const expectError = (
    response: { statusCode: number; json(): { error?: { code?: string } } },
    status: number,
    code: string,
  ) => {
    expect({ status: response.statusCode, code: response.json().error?.code }).toEqual({
      status,
      code,
    });
  };

  it('refuses a cross-site proxied GET with a session cookie; an API key may call', async () => {
    await nothingLeaves(async () => {
      expectError(
        await scene.proxied('items', { headers: { 'sec-fetch-site': 'cross-site' } }),
        403,
        'cross_site_request',
      );
      expectError(
        await scene.proxied('items', { headers: { origin: 'https://evil.example' } }),
        403,
        'cross_site_request',
      );
    });
    const byKey = await scene.proxied('items', {
      cookie: '',
      headers: {
        ...withKey(keys.proxyOnBehalf as string, userA().userId),
        'sec-fetch-site': 'cross-site',
      },
    });
    expect(byKey.statusCode).toBe(200);
    expect(byKey.json().sub).toBe('user-1');
  });

  it("B's own session cannot reach A's connection, not even by naming A", async () => {
    await nothingLeaves(async () => {
      expectError(await scene.proxied('items', { cookie: userB.cookie }), 409, 'not_connected');
      const namingA = await scene.proxied('items', {
        cookie: userB.cookie,
        headers: { 'x-latchkey-user': userA().userId },
      });
      expectError(namingA, 409, 'not_connected');
      expectError(await readToken({}, userB.cookie), 403, 'api_key_required');
    });
  });

  it('a key without on_behalf cannot act for A', async () => {
    await nothingLeaves(async () => {
      const proxied = await scene.proxied('items', {
        cookie: '',
        headers: withKey(keys.proxyOnly as string, userA().userId),
      });
      expectError(proxied, 403, 'api_key_forbidden');
      expectError(
        await readToken(withKey(keys.tokensOnly as string, userA().userId)),
        403,
        'api_key_forbidden',
      );
    });
  });

  it('a key without tokens:read cannot read tokens; a browser session never can', async () => {
    await nothingLeaves(async () => {
      expectError(
        await readToken(withKey(keys.proxyOnBehalf as string, userA().userId)),
        403,
        'api_key_forbidden',
      );
      expectError(await readToken({}, userA().cookie), 403, 'api_key_required');
    });
    const allowed = await readToken(withKey(keys.tokensOnBehalf as string, userA().userId));
    expect(allowed.statusCode).toBe(200);
    expect(allowed.headers['cache-control']).toBe('no-store');
  });

  it('a key without X-Latchkey-User acts for nobody; an unknown user is refused', async () => {
    await nothingLeaves(async () => {
      expectError(
        await scene.proxied('items', {
          cookie: '',
          headers: withKey(keys.proxyOnBehalf as string),
        }),
        400,
        'acting_user_required',
      );
      expectError(
        await readToken(withKey(keys.tokensOnBehalf as string)),
        400,
        'acting_user_required',
      );
      expectError(
        await readToken(withKey(keys.tokensOnBehalf as string, 'no-such-user')),
        404,
        'user_not_found',
      );
    });
  });

  it('a revoked or unknown key gets 401 invalid_api_key, even beside a valid session', async () => {
    await nothingLeaves(async () => {
      const revoked = withKey(keys.revoked as string, userA().userId);
      expectError(await scene.proxied('items', { headers: revoked }), 401, 'invalid_api_key');
      expectError(await readToken(revoked), 401, 'invalid_api_key');
      const unknown = withKey(`lk_${'x'.repeat(43)}`, userA().userId);
      expectError(await scene.proxied('items', { headers: unknown }), 401, 'invalid_api_key');
    });
  });
});
