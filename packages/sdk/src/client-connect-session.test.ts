import { describe, expect, it } from 'vitest';
import { createLatchkeyClient } from './client';
import {
  connectorView,
  createFakeService,
  jsonResponse,
  noContent,
} from './test-support/fake-service';

const SESSION = {
  endUser: { externalId: 'cust-42', displayName: 'Ann' },
  expiresAt: '2030-01-01T00:00:00.000Z',
  returnUrl: 'https://app.example/settings',
  connectors: [connectorView()],
};

describe('a client with a connect-session token', () => {
  it('presents the token as ConnectSession, sends no cookies and no other identity', async () => {
    const service = createFakeService();
    const client = createLatchkeyClient({
      fetch: service.fetch,
      baseUrl: 'https://lk.example',
      connectSessionToken: 'cs_token',
      actingUserId: 'u-1',
      actingEndUserId: 'someone-else',
    });
    service.on('GET', 'https://lk.example/api/connect_session', () => jsonResponse(200, SESSION));
    service.on('POST', 'https://lk.example/api/connectors/c1/_oauth_disconnect', noContent);
    expect(client.credential).toBe('connect_session');
    expect(await client.getConnectSession()).toEqual(SESSION);
    await client.disconnect('c1');
    for (const request of service.requests) {
      expect(request.headers.get('authorization')).toBe('ConnectSession cs_token');
      // The flow's browser-binding cookie must be kept, also across origins (see authenticate).
      expect(request.credentials).toBe('include');
      // A session acts for its own end user only: the client never names another one.
      expect(request.headers.get('x-latchkey-user')).toBeNull();
      expect(request.headers.get('x-latchkey-end-user')).toBeNull();
    }
  });

  it('refuses to hold an API key and a session token at once', () => {
    expect(() => createLatchkeyClient({ apiKey: 'lk_k', connectSessionToken: 'cs_t' })).toThrow(
      TypeError,
    );
  });

  it('says which credential it carries', () => {
    expect(createLatchkeyClient().credential).toBe('session_cookie');
    expect(createLatchkeyClient({ apiKey: 'lk_k' }).credential).toBe('api_key');
  });
});

describe('end users, for an app backend', () => {
  it('creates a connect session and acts for an end user with its key', async () => {
    const service = createFakeService();
    const app = createLatchkeyClient({ fetch: service.fetch, apiKey: 'lk_app' });
    const created = { token: 't', url: 'https://lk.example/connect#session=t', expiresAt: 'x' };
    service.on('POST', '/api/connect_sessions', () => jsonResponse(201, created));
    service.on('GET', '/api/connectors/c1/proxy/me', () => jsonResponse(200, { ok: true }));
    const input = { endUser: { externalId: 'cust-42' }, connectorIds: ['c1'] };
    expect(await app.createConnectSession(input)).toEqual(created);
    await app.actingForEndUser('cust 42/ü').proxy('c1', '/me');
    const [create, proxied] = service.requests;
    expect(create?.body).toEqual(input);
    expect(create?.headers.get('authorization')).toBe('ApiKey lk_app');
    expect(proxied?.headers.get('x-latchkey-end-user')).toBe('cust 42/ü');
    expect(proxied?.headers.get('authorization')).toBe('ApiKey lk_app');
    expect(proxied?.credentials).toBe('omit');
  });

  it('lists, reads and deletes end users with encoded ids', async () => {
    const service = createFakeService();
    service.on('GET', '/api/end_users', () => jsonResponse(200, { endUsers: [], nextCursor: 'n' }));
    service.on('GET', '/api/end_users?cursor=n%2F1', () =>
      jsonResponse(200, { endUsers: [], nextCursor: null }),
    );
    service.on('GET', '/api/end_users/a%2F..%2Fb', () =>
      jsonResponse(200, { externalId: 'a/../b', connections: [] }),
    );
    service.on('DELETE', '/api/end_users/a%2F..%2Fb', noContent);
    expect(await service.client.listEndUsers()).toEqual({ endUsers: [], nextCursor: 'n' });
    await service.client.listEndUsers({ cursor: 'n/1' });
    expect((await service.client.getEndUser('a/../b')).externalId).toBe('a/../b');
    expect(await service.client.deleteEndUser('a/../b')).toBeUndefined();
    expect(service.requests.map((r) => r.url)).toEqual([
      '/api/end_users',
      '/api/end_users?cursor=n%2F1',
      '/api/end_users/a%2F..%2Fb',
      '/api/end_users/a%2F..%2Fb',
    ]);
  });
});
