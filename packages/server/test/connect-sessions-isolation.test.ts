import type { TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { readResult } from './support/callback-results';
import { perUserConnectorBody } from './support/connector-bodies';
import { type EndUserScene, startEndUserScene } from './support/end-user-scene';
import {
  asKeyForEndUser,
  asSession,
  connectWithSession,
  createConnectSession,
  requestConnectSession,
  startSessionFlow,
} from './support/end-users';
import {
  authorizeAtProvider,
  countRows,
  deliverCallback,
  sessionsFor,
  startOAuthService,
  type UserSession,
} from './support/oauth-harness';
import type { TestService } from './support/test-service';

const APP_ORIGIN = 'https://app.example.com';

/**
 * Invariant 10: a connect session acts only for its own end user and its own connectors,
 * and can do nothing else. Each refusal also shows that nothing reached the provider and
 * nothing was stored.
 */
describe('connect sessions are isolated (real oidc-provider)', () => {
  let provider: TestProvider;
  let service: TestService;
  let connectorX: string;
  let connectorY: string;
  let appKey: { key: string; id: string };
  let admin: UserSession;
  let scene: EndUserScene;

  beforeAll(async () => {
    scene = await startEndUserScene({
      env: {
        LATCHKEY_CONNECT_RETURN_ORIGINS: APP_ORIGIN,
        LATCHKEY_CONNECT_SESSION_LIMIT_PER_MINUTE: '40',
      },
      connectors: 2,
    });
    ({ provider, service, appKey } = scene);
    [connectorX, connectorY] = scene.connectorIds as [string, string];
    [admin] = (await sessionsFor(service, 'admin')) as [UserSession];
  });
  afterAll(() => scene.stop());
  beforeEach(() => provider.resetCounts());

  const reached = () =>
    provider.counts.authorization + provider.counts.token + provider.counts.revocation;
  const endUserId = async (externalId: string) =>
    (await service.deps.store.endUsers.findByExternalId(externalId))?.id ?? '';
  const post = (token: string, path: string, body: unknown = {}) =>
    asSession(service, token, { method: 'POST', url: path, body });

  it("keeps end user A's session away from B's connection, flows and status", async () => {
    const a = await createConnectSession(service, appKey.key, 'user-a');
    const b = await createConnectSession(service, appKey.key, 'user-b');
    const { response } = await connectWithSession(service, b.token, connectorX);
    expect(readResult(response).status).toBe('success');
    const bPending = await startSessionFlow(service, b.token, connectorX);
    provider.resetCounts();

    // A sees only A.
    const statuses = await post(a.token, '/api/connectors/_me/auth_status');
    expect(statuses.json()[connectorX]).toEqual({
      user_auth_status: 'not_connected',
      connection: null,
    });
    // A's disconnect is A's own: B stays connected, nothing is revoked.
    expect(
      (await post(a.token, `/api/connectors/${connectorX}/_oauth_disconnect`)).statusCode,
    ).toBe(204);
    expect(
      await service.deps.store.connections.find(connectorX, await endUserId('user-b')),
    ).toMatchObject({ status: 'connected' });
    // A cannot cancel B's flow.
    const cancel = await post(a.token, `/api/connectors/${connectorX}/_oauth_cancel`, {
      state: bPending.state,
    });
    expect(cancel.json().error.code).toBe('oauth_flow_forbidden');
    // B's callback delivered in A's browser (A's binding cookie) finishes nothing.
    const aFlow = await startSessionFlow(service, a.token, connectorX);
    const bCallback = await authorizeAtProvider(bPending.authorizationUrl);
    provider.resetCounts();
    const crossed = await deliverCallback(service, bCallback, aFlow.browserCookie);
    expect(readResult(crossed)).toMatchObject({
      status: 'error',
      error: 'oauth_state_browser_mismatch',
    });
    expect(provider.counts.token).toBe(0);
    expect(reached()).toBe(0);
  });

  it('refuses a session for connector X a flow for Y, before the provider or the store', async () => {
    const session = await createConnectSession(service, appKey.key, 'user-x-only', {
      connectorIds: [connectorX],
    });
    const statesBefore = await countRows(service, 'oauth_states');

    const start = await post(session.token, `/api/connectors/${connectorY}/_start_oauth_flow`);
    expect(start.statusCode).toBe(403);
    expect(start.json().error.code).toBe('connect_session_forbidden');
    const disconnect = await post(session.token, `/api/connectors/${connectorY}/_oauth_disconnect`);
    expect(disconnect.json().error.code).toBe('connect_session_forbidden');
    const view = await asSession(service, session.token, {
      method: 'GET',
      url: '/api/connect_session',
    });
    expect(view.json().connectors.map((c: { id: string }) => c.id)).toEqual([connectorX]);
    expect(await countRows(service, 'oauth_states')).toBe(statesBefore);
    expect(reached()).toBe(0);
  });

  it('refuses an expired session, and a flow whose session expired before the callback', async () => {
    const session = await createConnectSession(service, appKey.key, 'user-expiring');
    // The flow starts 5 minutes before the session ends; its own 10-minute TTL outlives it.
    service.clock.now += (1800 - 300) * 1000;
    const pending = await startSessionFlow(service, session.token, connectorX);
    const callbackUrl = await authorizeAtProvider(pending.authorizationUrl);
    provider.resetCounts();
    service.clock.now += 400 * 1000;

    const statesBefore = await countRows(service, 'oauth_states');
    const start = await post(session.token, `/api/connectors/${connectorX}/_start_oauth_flow`);
    expect(start.statusCode).toBe(401);
    expect(start.json().error.code).toBe('connect_session_invalid');
    expect(await countRows(service, 'oauth_states')).toBe(statesBefore);
    const unknown = await post('not-a-session-token', '/api/connectors/_me/auth_status');
    expect(unknown.json().error.code).toBe('connect_session_invalid');

    const late = await deliverCallback(service, callbackUrl, pending.browserCookie);
    expect(readResult(late)).toMatchObject({ status: 'error', error: 'connect_session_invalid' });
    expect(provider.counts.token).toBe(0);
    expect(
      await service.deps.store.connections.find(connectorX, await endUserId('user-expiring')),
    ).toBeUndefined();
  });

  it('honours a callback once: a replay makes no second token request', async () => {
    const session = await createConnectSession(service, appKey.key, 'user-replay');
    const { callbackUrl, flow, response } = await connectWithSession(
      service,
      session.token,
      connectorX,
    );
    expect(readResult(response).status).toBe('success');
    expect(provider.counts.token).toBe(1);
    const replay = await deliverCallback(service, callbackUrl, flow.browserCookie);
    expect(readResult(replay)).toMatchObject({ status: 'error', error: 'oauth_state_invalid' });
    expect(provider.counts.token).toBe(1);
  });

  it('refuses the session token on every other route, admin, proxy and _token included', async () => {
    const session = await createConnectSession(service, appKey.key, 'user-wanderer');
    await connectWithSession(service, session.token, connectorX);
    provider.resetCounts();
    const auditBefore = (await service.deps.store.audit.page(1000)).length;
    const routes: Array<[method: 'GET' | 'POST' | 'DELETE' | 'PUT', url: string, body?: unknown]> =
      [
        ['GET', '/api/connectors'],
        ['GET', `/api/connectors/${connectorX}`],
        ['GET', `/api/connectors/${connectorX}/proxy/items`],
        ['GET', `/api/connectors/${connectorX}/_token`],
        ['GET', `/api/connectors/${connectorX}/_connection_status`],
        ['POST', '/api/connectors', {}],
        ['PUT', `/api/connectors/${connectorX}`, {}],
        ['DELETE', `/api/connectors/${connectorX}`],
        ['GET', '/api/users'],
        ['GET', '/api/auth/me'],
        ['GET', '/api/api_keys'],
        ['GET', '/api/audit'],
        ['GET', '/api/end_users'],
        ['GET', '/api/end_users/user-wanderer'],
        ['DELETE', '/api/end_users/user-wanderer'],
        ['POST', '/api/connect_sessions', { endUser: { externalId: 'someone-else' } }],
        ['GET', '/api/connectors/_oauth_callback?state=x&code=y'],
      ];
    for (const [method, url, body] of routes) {
      const response = await asSession(service, session.token, {
        method,
        url,
        // An admin's login in the same browser lends the session nothing.
        cookie: admin.cookie,
        ...(body === undefined ? {} : { body }),
      });
      expect([response.statusCode, response.json().error.code], `${method} ${url}`).toEqual([
        403,
        'connect_session_forbidden',
      ]);
    }
    expect(reached()).toBe(0);
    expect((await service.deps.store.audit.page(1000)).length).toBe(auditBefore);
    expect(await service.deps.store.endUsers.findByExternalId('user-wanderer')).toBeDefined();
    expect(await service.deps.store.endUsers.findByExternalId('someone-else')).toBeUndefined();
  });

  it("acts for the session's end user, never for the admin logged in in the same browser", async () => {
    const session = await createConnectSession(service, appKey.key, 'user-beside-admin');
    const flow = await startSessionFlow(service, session.token, connectorX, {}, admin.cookie);
    const callbackUrl = await authorizeAtProvider(flow.authorizationUrl);
    const response = await deliverCallback(
      service,
      callbackUrl,
      `${admin.cookie}; ${flow.browserCookie}`,
    );
    expect(readResult(response).status).toBe('success');
    expect(
      await service.deps.store.connections.find(connectorX, await endUserId('user-beside-admin')),
    ).toMatchObject({ status: 'connected' });
    expect(await service.deps.store.connections.find(connectorX, admin.userId)).toBeUndefined();
  });

  it('refuses return URLs outside the allowed origins, at creation and at start', async () => {
    const before = await countRows(service, 'connect_sessions');
    for (const returnUrl of [
      'https://evil.example.com/done',
      'https://app.example.com.evil.example/done',
      '//evil.example.com',
      'https://user@app.example.com/',
      '/relative/path',
    ]) {
      const created = await requestConnectSession(service, appKey.key, {
        endUser: { externalId: 'user-returning' },
        returnUrl,
      });
      expect([created.statusCode, created.json().error?.code], returnUrl).toEqual([
        400,
        'invalid_return_url',
      ]);
    }
    expect(await countRows(service, 'connect_sessions')).toBe(before);

    const session = await createConnectSession(service, appKey.key, 'user-returning', {
      returnUrl: `${APP_ORIGIN}/settings?tab=connections`,
    });
    const evil = await post(session.token, `/api/connectors/${connectorX}/_start_oauth_flow`, {
      returnUrl: 'https://evil.example.com/',
    });
    expect(evil.json().error.code).toBe('invalid_return_url');
    expect(reached()).toBe(0);
    // The app's own origin is fine, and the callback goes back there.
    const { response } = await connectWithSession(service, session.token, connectorX, {
      returnUrl: `${APP_ORIGIN}/settings`,
    });
    expect(readResult(response)).toMatchObject({ mode: 'redirect', status: 'success' });
    expect(readResult(response).location?.origin).toBe(APP_ORIGIN);
  });

  it('answers CORS for the allowed origins on session routes only', async () => {
    const session = await createConnectSession(service, appKey.key, 'user-cors');
    const preflight = (origin: string, url: string, method = 'POST') =>
      service.app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin, 'access-control-request-method': method },
      });
    const allowed = await preflight(APP_ORIGIN, `/api/connectors/${connectorX}/_start_oauth_flow`);
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(allowed.headers['access-control-allow-headers']).toContain('authorization');

    const evil = await preflight(
      'https://evil.example.com',
      `/api/connectors/${connectorX}/_start_oauth_flow`,
    );
    expect(evil.statusCode).toBe(403);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const otherRoute = await preflight(APP_ORIGIN, '/api/connectors');
    expect(otherRoute.headers['access-control-allow-origin']).toBeUndefined();
    const wrongMethod = await preflight(APP_ORIGIN, '/api/connect_session', 'DELETE');
    expect(wrongMethod.headers['access-control-allow-origin']).toBeUndefined();

    const fromApp = await asSession(service, session.token, {
      method: 'GET',
      url: '/api/connect_session',
      headers: { origin: APP_ORIGIN, 'sec-fetch-site': 'cross-site' },
    });
    expect(fromApp.statusCode).toBe(200);
    expect(fromApp.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    const statesBefore = await countRows(service, 'oauth_states');
    const fromEvil = await asSession(service, session.token, {
      method: 'POST',
      url: `/api/connectors/${connectorX}/_start_oauth_flow`,
      body: {},
      headers: { origin: 'https://evil.example.com', 'sec-fetch-site': 'cross-site' },
    });
    expect(fromEvil.json().error.code).toBe('cross_site_request');
    expect(fromEvil.headers['access-control-allow-origin']).toBeUndefined();
    expect(await countRows(service, 'oauth_states')).toBe(statesBefore);
    expect(reached()).toBe(0);
  });
});

describe('connect session creation', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startOAuthService({ LATCHKEY_CONNECT_SESSION_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => service.stop());

  it('is limited per key per minute, and refused to keys without end_users and to browsers', async () => {
    const { key } = await createApiKey(service, ['end_users']);
    const other = await createApiKey(service, ['end_users']);
    const body = (n: number) => ({ endUser: { externalId: `limited-${n}` } });
    const answers = [];
    for (let n = 0; n < 4; n += 1) answers.push(await requestConnectSession(service, key, body(n)));
    expect(answers.map((r) => r.statusCode)).toEqual([201, 201, 201, 429]);
    expect(await service.deps.store.endUsers.findByExternalId('limited-3')).toBeUndefined();
    expect((await requestConnectSession(service, other.key, body(9))).statusCode).toBe(201);

    const proxyOnly = await createApiKey(service, ['proxy', 'tokens:read', 'on_behalf']);
    const refused = await requestConnectSession(service, proxyOnly.key, body(5));
    expect(refused.json().error.code).toBe('api_key_forbidden');
    const asAdmin = await service.asAdmin({
      method: 'POST',
      url: '/api/connect_sessions',
      body: body(6),
    });
    expect(asAdmin.json().error.code).toBe('api_key_required');
    expect(await countRows(service, 'connect_sessions')).toBe(4);
  });

  it("counts a 409's links against the same limit; past it the 409 comes without one", async () => {
    const created = await service.asAdmin({
      method: 'POST',
      url: '/api/connectors',
      body: perUserConnectorBody(),
    });
    const connectorId: string = created.json().id;
    const { key } = await createApiKey(service, ['end_users', 'proxy', 'tokens:read']);
    const other = await createApiKey(service, ['end_users', 'proxy']);
    const refusal = async (path: string, withKey = key) => {
      const response = await asKeyForEndUser(service, withKey, 'agent-human', {
        url: `/api/connectors/${connectorId}/${path}`,
      });
      expect(response.statusCode).toBe(409);
      expect(response.json().error.code).toBe('not_connected');
      return response.json().error.details?.connectUrl as string | undefined;
    };
    const before = await countRows(service, 'connect_sessions');

    expect(await refusal('proxy/items')).toMatch(/#session=/);
    const session = await requestConnectSession(service, key, {
      endUser: { externalId: 'limited-409' },
    });
    expect(session.statusCode).toBe(201);
    expect(await refusal('_token')).toMatch(/#session=/);
    expect(await refusal('proxy/items')).toBeUndefined();
    expect(await refusal('_token')).toBeUndefined();
    const afterLimit = await requestConnectSession(service, key, {
      endUser: { externalId: 'limited-409-late' },
    });
    expect(afterLimit.statusCode).toBe(429);
    expect(await refusal('proxy/items', other.key)).toMatch(/#session=/);

    expect(await countRows(service, 'connect_sessions')).toBe(before + 4);
    expect(await service.deps.store.endUsers.findByExternalId('agent-human')).toBeUndefined();
    expect(await service.deps.store.endUsers.findByExternalId('limited-409-late')).toBeUndefined();
  });
});
