import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createOAuthTestClient, type OAuthTestClient } from './oauth-test-client';
import { type RecordingServer, startRecordingServer } from './recording-server';
import { type ResourceApi, startResourceApi } from './resource-api';
import { startTestProvider, type TestProvider } from './test-provider';

const REDIRECT_URI = 'http://localhost:4999/callback';

describe('startResourceApi', () => {
  let provider: TestProvider;
  let api: ResourceApi;
  let attacker: RecordingServer;
  let accessToken: string;

  beforeAll(async () => {
    provider = await startTestProvider({
      clients: [{ clientId: 'latchkey', clientSecret: 'secret', redirectUris: [REDIRECT_URI] }],
    });
    api = await startResourceApi({ provider });
    attacker = await startRecordingServer();
    const oc: OAuthTestClient = await createOAuthTestClient(provider, {
      clientId: 'latchkey',
      clientSecret: 'secret',
      redirectUri: REDIRECT_URI,
    });
    ({ accessToken } = await connect(oc, { scope: 'read' }));
  });
  afterAll(async () => {
    await Promise.all([api.stop(), attacker.stop(), provider.stop()]);
  });

  function call(path: string, init: RequestInit = {}, token = accessToken): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    return fetch(`${api.url}${path}`, { ...init, headers, redirect: 'manual' });
  }

  it('accepts a valid token and describes the request', async () => {
    const response = await call('/repos/42?page=2');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ok: true,
      sub: 'user-1',
      scope: 'read',
      path: '/repos/42',
      method: 'GET',
      query: { page: '2' },
    });
    expect(api.lastRequestHeaders?.authorization).toBe(`Bearer ${accessToken}`);
  });

  it('rejects a bad token with WWW-Authenticate', async () => {
    const response = await call('/repos', {}, 'not-a-token');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it('fails the next n requests with 401 whatever the token', async () => {
    api.failNextWith401(2);
    expect((await call('/a')).status).toBe(401);
    expect((await call('/a')).status).toBe(401);
    expect((await call('/a')).status).toBe(200);
  });

  it('redirects the next request once, to a server that records it', async () => {
    api.redirectNextTo(`${attacker.url}/steal`);
    const redirected = await call('/a');
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get('location')).toBe(`${attacker.url}/steal`);
    expect((await call('/a')).status).toBe(200);
    await fetch(`${attacker.url}/steal?x=1`, { method: 'POST', body: 'leak' });
    expect(attacker.requests).toEqual([
      expect.objectContaining({ method: 'POST', url: '/steal?x=1', body: 'leak' }),
    ]);
  });

  it('echoes method, headers and body on /echo', async () => {
    const before = api.counts.requests;
    const response = await call('/echo?q=1', {
      method: 'PUT',
      headers: { 'content-type': 'text/plain', 'x-custom': 'kept' },
      body: 'payload',
    });
    expect(await response.json()).toMatchObject({
      ok: true,
      method: 'PUT',
      path: '/echo',
      query: { q: '1' },
      headers: { 'x-custom': 'kept', authorization: `Bearer ${accessToken}` },
      body: 'payload',
    });
    expect(api.counts.requests).toBe(before + 1);
  });

  it('rejects a token once its grant is revoked', async () => {
    provider.revokeAllGrants();
    expect((await call('/a')).status).toBe(401);
  });
});
