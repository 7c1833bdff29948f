import type { TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readResult, withParams } from './support/callback-results';
import { startGatedForwarder } from './support/gated-forwarder';
import {
  authorizeAtProvider,
  createProviderConnector,
  deliverCallback,
  providerConnectorBody,
  sessionsFor,
  startFlow,
  startOAuthService,
  startProvider,
  statusOf,
  type UserSession,
} from './support/oauth-harness';
import { ADMIN_PASSWORD, type TestService } from './support/test-service';

/** What the callback accepts: sizes, extra parameters, and a connector changed meanwhile. */
describe('callback: input and connector changes (real oidc-provider)', () => {
  let provider: TestProvider;
  let service: TestService;
  let connectorId: string;
  let user: UserSession;

  beforeAll(async () => {
    provider = await startProvider();
    service = await startOAuthService();
    connectorId = await createProviderConnector(service, provider, { name: 'Edited later' });
    [user] = (await sessionsFor(service, 'viewer')) as [UserSession];
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
  });
  beforeEach(() => provider.resetCounts());

  async function authorizedFlow() {
    const flow = await startFlow(service, user.cookie, connectorId);
    return { ...flow, callbackUrl: await authorizeAtProvider(flow.authorizationUrl) };
  }

  it('refuses an oversize code with a 400 and no token request, and keeps the flow', async () => {
    const flow = await authorizedFlow();
    const oversize = withParams(flow.callbackUrl, { code: 'c'.repeat(5000) });

    const response = await deliverCallback(service, oversize, flow.browserCookie);

    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('text/html');
    expect(readResult(response)).toMatchObject({
      status: 'error',
      error: 'oauth_callback_invalid',
    });
    expect(provider.counts.token).toBe(0);

    const genuine = await deliverCallback(service, flow.callbackUrl, flow.browserCookie);
    expect(readResult(genuine).status).toBe('success');
  });

  it('refuses an oversize query made of many small unknown parameters', async () => {
    const flow = await authorizedFlow();
    const padded = new URL(flow.callbackUrl);
    for (let i = 0; i < 400; i += 1) padded.searchParams.append(`p${i}`, 'x'.repeat(20));

    const response = await deliverCallback(service, padded, flow.browserCookie);

    expect(response.statusCode).toBe(400);
    expect(readResult(response).error).toBe('oauth_callback_invalid');
    expect(provider.counts.token).toBe(0);
  });

  it('tolerates unknown extra parameters from the provider', async () => {
    const flow = await authorizedFlow();
    const extras = withParams(flow.callbackUrl, {
      session_state: 'abc.def',
      scope: 'openid read write',
      authuser: '0',
      prompt: 'consent',
      hd: 'example.com',
    });

    const response = await deliverCallback(service, extras, flow.browserCookie);

    expect(readResult(response)).toMatchObject({ status: 'success', connectorId });
    expect(provider.counts.tokenByGrant.authorization_code).toBe(1);
  });

  it('refuses a callback for a connector whose settings changed since the start', async () => {
    const before = await service.deps.store.connections.find(connectorId, user.userId);
    const flow = await authorizedFlow();
    const admin = await service.login('admin', ADMIN_PASSWORD);
    const edited = await service.request({
      method: 'PUT',
      url: `/api/connectors/${connectorId}`,
      cookie: admin,
      // A scope edit alone keeps the connections (they say what they lack); this one does not.
      body: providerConnectorBody(provider, {
        name: 'Edited later',
        scope: 'openid read',
        apiBaseUrl: `${provider.issuer}/api/v2/`,
      }),
    });
    expect(edited.statusCode).toBe(200);
    expect(before).toBeDefined();

    const response = await deliverCallback(service, flow.callbackUrl, flow.browserCookie);

    expect(readResult(response)).toMatchObject({
      status: 'error',
      error: 'oauth_connector_changed',
      connectorId,
    });
    expect(provider.counts.token).toBe(0);
    // The edit removed the earlier tokens; the stale flow did not bring new ones.
    expect(await service.deps.store.connections.find(connectorId, user.userId)).toBeUndefined();
    expect(await statusOf(service, user.cookie, connectorId)).toBe('not_connected');
  });

  it('refuses tokens whose exchange was in flight while the connector changed', async () => {
    const forwarder = await startGatedForwarder(provider.tokenEndpoint);
    try {
      const body = providerConnectorBody(provider, { name: 'Changed mid-exchange' });
      body.config.tokenUrl = forwarder.url;
      const admin = await service.login('admin', ADMIN_PASSWORD);
      const created = await service.request({
        method: 'POST',
        url: '/api/connectors',
        cookie: admin,
        body,
      });
      const id = created.json().id as string;
      const flow = await startFlow(service, user.cookie, id);
      const callbackUrl = await authorizeAtProvider(flow.authorizationUrl);

      const callback = deliverCallback(service, callbackUrl, flow.browserCookie);
      await forwarder.arrived;
      const edit = await service.request({
        method: 'PUT',
        url: `/api/connectors/${id}`,
        cookie: admin,
        body: { ...body, config: { ...body.config, apiBaseUrl: 'http://127.0.0.1:9/new/' } },
      });
      expect(edit.statusCode).toBe(200);
      forwarder.release();
      const response = await callback;

      expect(provider.counts.tokenByGrant.authorization_code).toBe(1);
      expect(readResult(response)).toMatchObject({ error: 'oauth_connector_changed' });
      expect(await service.deps.store.connections.find(id, user.userId)).toBeUndefined();
    } finally {
      forwarder.release();
      await forwarder.stop();
    }
  });

  it('does not run the callback for a HEAD request (link checkers, prefetchers)', async () => {
    const flow = await authorizedFlow();
    const url = new URL(flow.callbackUrl);
    const head = await service.request({
      method: 'HEAD',
      url: `${url.pathname}${url.search}`,
      cookie: flow.browserCookie,
    });

    expect(head.statusCode).toBeGreaterThanOrEqual(400);
    expect(provider.counts.token).toBe(0);
    const genuine = await deliverCallback(service, flow.callbackUrl, flow.browserCookie);
    expect(readResult(genuine).status).toBe('success');
  });
});
