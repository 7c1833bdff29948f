import { describe, expect, it } from 'vitest';
import { createLatchkeyClient } from './client';
import { LatchkeyApiError } from './errors/latchkey-api-error';
import {
  connectorView,
  createFakeService,
  errorBody,
  jsonResponse,
  noContent,
} from './test-support/fake-service';

async function rejection(promise: Promise<unknown>): Promise<LatchkeyApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LatchkeyApiError);
  return error as LatchkeyApiError;
}

describe('errors', () => {
  it('builds a LatchkeyApiError from the service error body', async () => {
    const service = createFakeService();
    service.on('POST', '/api/connectors', () =>
      jsonResponse(
        400,
        errorBody('validation_failed', 'config.tokenUrl: Required', {
          issues: [{ path: 'config.tokenUrl' }],
        }),
      ),
    );
    const error = await rejection(
      service.client.createConnector({
        name: 'x',
        provider: 'custom',
        authMode: 'shared',
        config: { credentialType: 'bearer_token', apiBaseUrl: 'https://api.example' },
      }),
    );
    expect(error).toMatchObject({
      name: 'LatchkeyApiError',
      code: 'validation_failed',
      status: 400,
      message: 'config.tokenUrl: Required',
      details: { issues: [{ path: 'config.tokenUrl' }] },
    });
  });

  it('says unexpected_response for an answer that is not the API', async () => {
    const html = () =>
      new Response('<html>Bad gateway</html>', {
        status: 502,
        headers: { 'content-type': 'text/html' },
      });
    const notOurShape = () => jsonResponse(500, { message: 'oops' });
    const notJsonOk = () =>
      new Response('<html></html>', { status: 200, headers: { 'content-type': 'text/html' } });
    const brokenJson = () =>
      new Response('{"err', { status: 200, headers: { 'content-type': 'application/json' } });
    for (const [answer, status] of [
      [html, 502],
      [notOurShape, 500],
      [notJsonOk, 200],
      [brokenJson, 200],
    ] as const) {
      const service = createFakeService();
      service.on('GET', '/api/auth/me', answer);
      expect(await rejection(service.client.me())).toMatchObject({
        code: 'unexpected_response',
        status,
      });
    }
  });

  it('says network_error when there is no answer, and keeps the cause', async () => {
    const cause = new TypeError('fetch failed');
    const client = createLatchkeyClient({ fetch: () => Promise.reject(cause) });
    const error = await rejection(client.listConnectors());
    expect(error).toMatchObject({ code: 'network_error', status: 0, cause });
  });

  it('lets the caller’s own abort through as it is', async () => {
    const abort = new DOMException('The operation was aborted.', 'AbortError');
    const client = createLatchkeyClient({ fetch: () => Promise.reject(abort) });
    await expect(client.proxy('c1', '/x')).rejects.toBe(abort);
  });
});

describe('requests', () => {
  it('sends JSON on every POST, PUT and PATCH, `{}` when there is nothing to say', async () => {
    const service = createFakeService();
    service.on('POST', '/api/auth/logout', noContent);
    service.on('POST', '/api/connectors/_me/auth_status', () =>
      jsonResponse(200, { c1: { user_auth_status: 'connected' } }),
    );
    service.on('POST', '/api/connectors/c1/_oauth_disconnect', noContent);
    service.on('POST', '/api/connectors/c1/_start_oauth_flow', () =>
      jsonResponse(200, { authorizationUrl: 'https://p/a', state: 's' }),
    );
    service.on('PUT', '/api/connectors/c1', () => jsonResponse(200, connectorView()));
    service.on('PATCH', '/api/users/u1', () =>
      jsonResponse(200, { id: 'u1', username: 'ann', role: 'editor', createdAt: 'x' }),
    );
    await service.client.logout();
    expect(await service.client.authStatuses()).toEqual({ c1: { user_auth_status: 'connected' } });
    await service.client.disconnect('c1');
    await service.client.startOAuthFlow('c1');
    await service.client.updateConnector('c1', {
      name: 'Demo',
      provider: 'custom',
      authMode: 'shared',
      config: { credentialType: 'bearer_token', apiBaseUrl: 'https://api.example' },
    });
    await service.client.updateUser('u1', { role: 'editor' });
    expect(service.requests.map((r) => [r.method, r.headers.get('content-type'), r.body])).toEqual([
      ['POST', 'application/json', {}],
      ['POST', 'application/json', {}],
      ['POST', 'application/json', {}],
      ['POST', 'application/json', {}],
      ['PUT', 'application/json', expect.objectContaining({ name: 'Demo' })],
      ['PATCH', 'application/json', { role: 'editor' }],
    ]);
    for (const request of service.requests) {
      expect(request.credentials).toBe('same-origin');
      expect(request.headers.get('authorization')).toBeNull();
    }
  });

  it('sends GET and DELETE without a body, and 204 resolves to undefined', async () => {
    const service = createFakeService();
    service.on('DELETE', '/api/connectors/c1', noContent);
    service.on('GET', '/api/connectors', () =>
      jsonResponse(200, { connectors: [connectorView()] }),
    );
    expect(await service.client.deleteConnector('c1')).toBeUndefined();
    expect(await service.client.listConnectors()).toEqual([connectorView()]);
    for (const request of service.requests) {
      expect(request.body).toBeUndefined();
      expect(request.headers.get('content-type')).toBeNull();
    }
  });

  it('authenticates with an API key, acts for a user, and sends no cookies then', async () => {
    const service = createFakeService();
    const client = createLatchkeyClient({
      fetch: service.fetch,
      apiKey: 'lk_secret',
      actingUserId: 'u-7',
    });
    service.on('GET', '/api/connectors/c1/_token', () =>
      jsonResponse(200, { accessToken: 'at', tokenType: 'Bearer', expiresAt: null }),
    );
    service.on('POST', '/api/connectors/c1/_oauth_cancel', noContent);
    expect(await client.getToken('c1')).toEqual({
      accessToken: 'at',
      tokenType: 'Bearer',
      expiresAt: null,
    });
    await client.cancelOAuthFlow('c1', 's-1');
    await client.actingAs('u-8').getToken('c1');
    const [token, cancel, other] = service.requests;
    expect(token?.headers.get('authorization')).toBe('ApiKey lk_secret');
    expect(token?.headers.get('x-latchkey-user')).toBe('u-7');
    expect(token?.credentials).toBe('omit');
    expect(cancel?.body).toEqual({ state: 's-1' });
    expect(other?.headers.get('x-latchkey-user')).toBe('u-8');
    expect(other?.headers.get('authorization')).toBe('ApiKey lk_secret');
  });

  it('joins the base URL and encodes ids', async () => {
    const service = createFakeService();
    const client = createLatchkeyClient({ fetch: service.fetch, baseUrl: 'https://lk.example/' });
    service.on('GET', 'https://lk.example/api/connectors/a%2F..%2Fb', () =>
      jsonResponse(200, connectorView()),
    );
    await client.getConnector('a/../b');
    expect(service.requests[0]?.url).toBe('https://lk.example/api/connectors/a%2F..%2Fb');
  });

  it('pages the audit log', async () => {
    const service = createFakeService();
    service.on('GET', '/api/audit', () => jsonResponse(200, { events: [], nextCursor: null }));
    service.on('GET', '/api/audit?limit=10&cursor=abc', () =>
      jsonResponse(200, { events: [], nextCursor: null }),
    );
    await service.client.listAudit();
    await service.client.listAudit({ limit: 10, cursor: 'abc' });
    expect(service.requests.map((r) => r.url)).toEqual([
      '/api/audit',
      '/api/audit?limit=10&cursor=abc',
    ]);
  });

  it('unwraps the lists of users and API keys', async () => {
    const service = createFakeService();
    service.on('GET', '/api/users', () => jsonResponse(200, { users: [] }));
    service.on('GET', '/api/api_keys', () => jsonResponse(200, { apiKeys: [] }));
    expect(await service.client.listUsers()).toEqual([]);
    expect(await service.client.listApiKeys()).toEqual([]);
  });

  it('lists the providers with the redirect URI, and creates a connector from a preset', async () => {
    const service = createFakeService();
    const providers = { redirectUri: 'https://lk.example/api/connectors/_oauth_callback' };
    service.on('GET', '/api/providers', () => jsonResponse(200, { ...providers, providers: [] }));
    service.on('POST', '/api/connectors', () => jsonResponse(201, connectorView()));
    expect(await service.client.listProviders()).toEqual({ ...providers, providers: [] });
    const preset = {
      name: 'GitHub',
      provider: 'github',
      authMode: 'per-user',
      config: { clientId: 'Iv1.abc', scope: 'repo', host: 'github.example.com' },
      secrets: { clientSecret: 's3cret' },
    } as const;
    await service.client.createConnector(preset);
    expect(service.sent('POST', '/api/connectors')[0]?.body).toEqual(preset);
  });
});

describe('proxy', () => {
  it('forwards the caller’s request as it is and returns the upstream answer, whatever its status', async () => {
    const service = createFakeService();
    const client = createLatchkeyClient({ fetch: service.fetch, apiKey: 'lk_k' });
    service.on(
      'POST',
      '/api/connectors/c1/proxy/v1/files?q=1',
      () => new Response('nope', { status: 404, headers: { 'content-type': 'text/plain' } }),
    );
    const response = await client.proxy('c1', '/v1/files?q=1', {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: 'Bearer mine' },
      body: 'a,b',
    });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('nope');
    const [request] = service.requests;
    expect(request?.headers.get('content-type')).toBe('text/csv');
    // The client's credential wins; the service never forwards it anyway.
    expect(request?.headers.get('authorization')).toBe('ApiKey lk_k');
    expect(request?.body).toBe('a,b');
  });
});
