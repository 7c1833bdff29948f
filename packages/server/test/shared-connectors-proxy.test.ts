import {
  type ResourceApi,
  startResourceApi,
  startTestProvider,
  type TestProvider,
} from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { type EchoUpstream, rawHeaderValues, startEchoUpstream } from './support/echo-upstream';
import { PROVIDER_CLIENT_SECRET, testClient } from './support/oauth-harness';
import { ADMIN_PASSWORD, startTestService, type TestService } from './support/test-service';

const STATIC_TOKEN = 'static-bearer-token-for-shared-connector';
const STATIC_API_KEY = 'static-api-key-for-shared-connector';

/** One service credential for everyone, through the same proxy as per-user connectors. */
describe('shared connectors through the proxy', () => {
  let provider: TestProvider;
  let api: ResourceApi;
  let echo: EchoUpstream;
  let service: TestService;
  let viewer: { cookie: string; userId: string };
  let proxyKey: string;
  let admin: string;
  const ids: Record<'bearer' | 'apiKeyHeader' | 'clientCredentials', string> = {
    bearer: '',
    apiKeyHeader: '',
    clientCredentials: '',
  };

  async function createShared(
    config: Record<string, unknown>,
    secrets: Record<string, string>,
    name = `Shared ${config.credentialType}`,
  ) {
    const response = await service.request({
      method: 'POST',
      url: '/api/connectors',
      cookie: admin,
      body: { name, authMode: 'shared', config, secrets },
    });
    if (response.statusCode !== 201) throw new Error(`not created: ${response.body}`);
    return response.json().id as string;
  }

  beforeAll(async () => {
    provider = await startTestProvider({
      clients: [
        testClient('latchkey'),
        testClient('shared-post', { tokenEndpointAuthMethod: 'client_secret_post' }),
      ],
    });
    api = await startResourceApi({ provider });
    echo = await startEchoUpstream();
    service = await startTestService({ LATCHKEY_JOBS_ENABLED: 'false' });
    admin = await service.login('admin', ADMIN_PASSWORD);
    ids.bearer = await createShared(
      { credentialType: 'bearer_token', apiBaseUrl: `${echo.url}/bearer/` },
      { token: STATIC_TOKEN },
    );
    ids.apiKeyHeader = await createShared(
      { credentialType: 'api_key_header', headerName: 'X-Api-Key', apiBaseUrl: `${echo.url}/` },
      { apiKey: STATIC_API_KEY },
    );
    ids.clientCredentials = await createShared(clientCredentialsConfig(), {
      clientSecret: PROVIDER_CLIENT_SECRET,
    });
    viewer = await service.sessionFor('viewer');
    proxyKey = (await createApiKey(service, ['proxy', 'tokens:read'])).key;
  });
  afterAll(async () => {
    await service.stop();
    await echo.stop();
    await api.stop();
    await provider.stop();
  });

  function clientCredentialsConfig(overrides: Record<string, unknown> = {}) {
    return {
      credentialType: 'client_credentials',
      tokenUrl: provider.tokenEndpoint,
      clientId: 'latchkey',
      scope: 'read',
      apiBaseUrl: `${api.url}/`,
      ...overrides,
    };
  }

  async function updateShared(id: string, change: { config?: object; secrets?: object }) {
    const current = (
      await service.request({ method: 'GET', url: `/api/connectors/${id}`, cookie: admin })
    ).json();
    const response = await service.request({
      method: 'PUT',
      url: `/api/connectors/${id}`,
      cookie: admin,
      body: { name: current.name, authMode: 'shared', config: current.config, ...change },
    });
    if (response.statusCode !== 200) throw new Error(`not updated: ${response.body}`);
  }

  /** An application's call: an API key and no X-Latchkey-User (it acts for nobody). */
  const byKey = (connectorId: string, path: string) =>
    service.request({
      method: 'GET',
      url: `/api/connectors/${connectorId}/proxy/${path}`,
      headers: { authorization: `ApiKey ${proxyKey}` },
    });

  it('reports not_applicable for every shared connector', async () => {
    const list = await service.request({
      method: 'GET',
      url: '/api/connectors',
      cookie: viewer.cookie,
    });
    const mine = await service.request({
      method: 'POST',
      url: '/api/connectors/_me/auth_status',
      cookie: viewer.cookie,
      body: {},
    });
    for (const id of Object.values(ids)) {
      const listed = list.json().connectors.find((c: { id: string }) => c.id === id);
      expect(listed.userAuthStatus).toBe('not_applicable');
      expect(mine.json()[id]).toEqual({ user_auth_status: 'not_applicable', connection: null });
    }
  });

  it('bearer_token: the API sees the static token as the one Authorization', async () => {
    const response = await byKey(ids.bearer, 'items?a=1');
    expect(response.statusCode).toBe(200);
    const received = echo.requests.at(-1);
    expect(received?.url).toBe('/bearer/items?a=1');
    expect(rawHeaderValues(received?.rawHeaders ?? [], 'authorization')).toEqual([
      `Bearer ${STATIC_TOKEN}`,
    ]);
    expect(JSON.stringify(received?.rawHeaders)).not.toContain(proxyKey);
  });

  it('refuses a key acting for a user who does not exist; nothing reaches the API', async () => {
    const onBehalfKey = (await createApiKey(service, ['proxy', 'on_behalf'])).key;
    const before = echo.requests.length;
    const call = (user: string) =>
      service.request({
        method: 'GET',
        url: `/api/connectors/${ids.bearer}/proxy/items`,
        headers: { authorization: `ApiKey ${onBehalfKey}`, 'x-latchkey-user': user },
      });
    const refused = await call('no-such-user');
    expect([refused.statusCode, refused.json().error.code]).toEqual([404, 'user_not_found']);
    expect(echo.requests.length).toBe(before);
    expect((await call(viewer.userId)).statusCode).toBe(200);
    expect(echo.requests.length).toBe(before + 1);
  });

  it('api_key_header: the API sees the key in its header, and no Authorization at all', async () => {
    const response = await byKey(ids.apiKeyHeader, 'items');
    expect(response.statusCode).toBe(200);
    const received = echo.requests.at(-1);
    expect(rawHeaderValues(received?.rawHeaders ?? [], 'x-api-key')).toEqual([STATIC_API_KEY]);
    expect(rawHeaderValues(received?.rawHeaders ?? [], 'authorization')).toEqual([]);
  });

  it('api_key_header: a header HTTP reserves is refused at save (it broke every call with a 502)', async () => {
    const reserved = [
      'Content-Length',
      'Transfer-Encoding',
      'Expect',
      'Upgrade',
      'Keep-Alive',
      'Host',
      'connection',
      'TE',
    ];
    const before = (await service.deps.store.connectors.list()).length;
    for (const headerName of reserved) {
      const response = await service.request({
        method: 'POST',
        url: '/api/connectors',
        cookie: admin,
        body: {
          name: `Reserved ${headerName}`,
          authMode: 'shared',
          config: { credentialType: 'api_key_header', headerName, apiBaseUrl: `${echo.url}/` },
          secrets: { apiKey: STATIC_API_KEY },
        },
      });
      expect([headerName, response.statusCode, response.json().error?.code]).toEqual([
        headerName,
        400,
        'validation_failed',
      ]);
    }
    expect((await service.deps.store.connectors.list()).length).toBe(before);
  });

  it('each credential type refuses a config without the fields it needs, storing nothing', async () => {
    const incomplete = [
      [{ credentialType: 'api_key_header' }, { apiKey: STATIC_API_KEY }, ['headerName']],
      [
        { credentialType: 'client_credentials', clientId: 'latchkey' },
        { clientSecret: PROVIDER_CLIENT_SECRET },
        ['tokenUrl'],
      ],
      [
        { credentialType: 'client_credentials', tokenUrl: `${provider.issuer}/token` },
        { clientSecret: PROVIDER_CLIENT_SECRET },
        ['clientId'],
      ],
      [
        { credentialType: 'client_credentials' },
        { clientSecret: PROVIDER_CLIENT_SECRET },
        ['tokenUrl', 'clientId'],
      ],
    ] as const;
    const before = (await service.deps.store.connectors.list()).length;
    for (const [config, secrets, missing] of incomplete) {
      const response = await service.request({
        method: 'POST',
        url: '/api/connectors',
        cookie: admin,
        body: {
          name: `Incomplete ${config.credentialType}`,
          authMode: 'shared',
          config: { ...config, apiBaseUrl: `${echo.url}/` },
          secrets,
        },
      });
      const error = response.json().error;
      expect([response.statusCode, error?.code]).toEqual([400, 'validation_failed']);
      expect(error.message).toBe(`body/config/${missing[0]}: is required for this credential type`);
      expect(error.details.issues.map((issue: { path: string }) => issue.path)).toEqual(
        missing.map((field) => `body/config/${field}`),
      );
    }
    expect((await service.deps.store.connectors.list()).length).toBe(before);
  });

  it('client_credentials: one grant serves many calls, by keys and sessions alike', async () => {
    provider.resetCounts();
    const calls = [
      await byKey(ids.clientCredentials, 'one'),
      await byKey(ids.clientCredentials, 'two'),
      await service.request({
        method: 'GET',
        url: `/api/connectors/${ids.clientCredentials}/proxy/three`,
        cookie: viewer.cookie,
      }),
    ];
    expect(calls.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(calls.map((r) => r.json().path)).toEqual(['/one', '/two', '/three']);
    expect(provider.counts.tokenByGrant.client_credentials).toBe(1);
    expect(provider.counts.tokenByClientAuth).toEqual({ client_secret_basic: 1 });
  });

  it('client_credentials: an expired cached token is replaced once', async () => {
    provider.resetCounts();
    service.clock.now += 2 * 3600 * 1000;
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => byKey(ids.clientCredentials, `burst/${i}`)),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(provider.counts.tokenByGrant.client_credentials).toBe(1);
  });

  it('client_credentials: edited settings get a token of their own, requested once', async () => {
    provider.resetCounts();
    expect((await byKey(ids.clientCredentials, 'before')).json().scope).toBe('read');
    expect(provider.counts.tokenByGrant.client_credentials).toBe(0);

    await updateShared(ids.clientCredentials, {
      config: clientCredentialsConfig({ scope: 'read write' }),
    });
    const after = await Promise.all([
      byKey(ids.clientCredentials, 'after/1'),
      byKey(ids.clientCredentials, 'after/2'),
    ]);
    expect(after.map((r) => [r.statusCode, r.json().scope])).toEqual([
      [200, 'read write'],
      [200, 'read write'],
    ]);
    expect(provider.counts.tokenByGrant.client_credentials).toBe(1);
    expect((await byKey(ids.clientCredentials, 'later')).json().scope).toBe('read write');
    expect(provider.counts.tokenByGrant.client_credentials).toBe(1);
  });

  it('client_credentials: authenticates with client_secret_post when configured', async () => {
    const id = await createShared(
      clientCredentialsConfig({
        clientId: 'shared-post',
        tokenEndpointAuthMethod: 'client_secret_post',
      }),
      { clientSecret: PROVIDER_CLIENT_SECRET },
      'Shared client_secret_post',
    );
    provider.resetCounts();
    const response = await byKey(id, 'posted');
    expect([response.statusCode, response.json().path]).toEqual([200, '/posted']);
    // oidc-provider takes either method from any client: only the request tells them apart.
    expect(provider.counts.tokenByClientAuth).toEqual({ client_secret_post: 1 });
  });

  it('client_credentials: a refused secret is a 502, never cached; the stored fix works', async () => {
    const wrongSecret = 'not-the-provider-secret:+%';
    const id = await createShared(
      clientCredentialsConfig(),
      { clientSecret: wrongSecret },
      'Shared wrong secret',
    );
    provider.resetCounts();
    const apiBefore = api.counts.requests;
    for (const path of ['first', 'second']) {
      const response = await byKey(id, path);
      expect([response.statusCode, response.json().error.code]).toEqual([
        502,
        'shared_credential_failed',
      ]);
      expect(response.body).not.toContain(wrongSecret);
    }
    expect(provider.counts.tokenByGrant.client_credentials).toBe(2);
    expect(api.counts.requests).toBe(apiBefore);

    // A new secret alone leaves the settings (and their version) as they were.
    await updateShared(id, { secrets: { clientSecret: PROVIDER_CLIENT_SECRET } });
    expect((await byKey(id, 'fixed')).statusCode).toBe(200);
    expect(provider.counts.tokenByGrant.client_credentials).toBe(3);
  });

  it('a static credential the API refuses is answered 401 as it is, without a retry', async () => {
    const id = await createShared(
      { credentialType: 'bearer_token', apiBaseUrl: `${api.url}/` },
      { token: STATIC_TOKEN },
      'Shared refused bearer',
    );
    provider.resetCounts();
    const apiBefore = api.counts.requests;
    const response = await byKey(id, 'refused');
    expect(response.statusCode).toBe(401);
    expect(api.counts.requests - apiBefore).toBe(1);
    expect(provider.counts.tokenByGrant.client_credentials ?? 0).toBe(0);
  });

  it('client_credentials: a token without expiry that the API refuses is replaced once, and the call retried', async () => {
    provider.setTokenResponseQuirks({ omitExpiresIn: true });
    try {
      const id = await createShared(
        clientCredentialsConfig(),
        { clientSecret: PROVIDER_CLIENT_SECRET },
        'Shared without expiry',
      );
      provider.resetCounts();
      expect((await byKey(id, 'first')).statusCode).toBe(200);
      const first = api.lastRequestHeaders?.authorization;
      // Days later it is still used: nothing says it expired.
      service.clock.now += 3 * 24 * 3600 * 1000;
      expect((await byKey(id, 'days-later')).statusCode).toBe(200);
      expect(api.lastRequestHeaders?.authorization).toBe(first);
      expect(provider.counts.tokenByGrant.client_credentials).toBe(1);

      api.failNextWith401(1);
      const apiBefore = api.counts.requests;
      const retried = await byKey(id, 'refused-once');
      expect([retried.statusCode, retried.json().path]).toEqual([200, '/refused-once']);
      expect(api.counts.requests - apiBefore).toBe(2);
      expect(provider.counts.tokenByGrant.client_credentials).toBe(2);
      const second = api.lastRequestHeaders?.authorization;
      expect(second).toMatch(/^Bearer \S+$/);
      expect(second).not.toBe(first);

      expect((await byKey(id, 'after')).statusCode).toBe(200);
      expect(api.lastRequestHeaders?.authorization).toBe(second);
      expect(provider.counts.tokenByGrant.client_credentials).toBe(2);
    } finally {
      provider.setTokenResponseQuirks({});
    }
  });

  it('never hands a shared credential out through _token', async () => {
    for (const id of Object.values(ids)) {
      const response = await service.request({
        method: 'GET',
        url: `/api/connectors/${id}/_token`,
        headers: { authorization: `ApiKey ${proxyKey}` },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('connector_not_per_user');
      expect(response.body).not.toContain(STATIC_TOKEN);
      expect(response.body).not.toContain(STATIC_API_KEY);
    }
  });
});
