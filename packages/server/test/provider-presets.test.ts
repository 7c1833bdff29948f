import { catalogOf, loadCatalog, providerDefinitionSchema } from '@latchkey/catalog';
import { type ResourceApi, startResourceApi, type TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { type EchoUpstream, startEchoUpstream } from './support/echo-upstream';
import {
  connect,
  PROVIDER_CLIENT_SECRET,
  REDIRECT_URI,
  startFlow,
  startProvider,
  statusOf,
  storedTokens,
} from './support/oauth-harness';
import { expireAccessTokens } from './support/proxy-scene';
import { startTestService, type TestService } from './support/test-service';

/** A preset of the test provider, declaring what real presets declare. */
function acmePreset(provider: TestProvider, api: ResourceApi) {
  return providerDefinitionSchema.parse({
    id: 'acme',
    name: 'Acme',
    docs: { oauth: 'https://acme.example/docs/oauth', console: 'https://acme.example/apps' },
    lastVerified: '2026-12-04',
    authModes: ['per-user'],
    inputs: [{ name: 'region', label: 'Region', kind: 'subdomain', default: 'eu' }],
    authorizationUrl: provider.authorizationEndpoint,
    tokenUrl: provider.tokenEndpoint,
    revocation: { method: 'rfc7009', url: provider.revocationEndpoint },
    scopes: { default: ['read'], required: ['openid'] },
    authorizationParams: { ui_locales: 'en' },
    keep: [
      { name: 'team_id', from: 'token_response', field: 'team.id', kind: 'text' },
      { name: 'issued_by', from: 'callback', field: 'iss', kind: 'text' },
    ],
    apiBaseUrl: `${api.url}/{region}/teams/{team_id}/`,
    apiHeaders: { 'X-Acme-Version': '2026-01' },
  });
}

/** A preset whose API takes the token in its own header and wants the client named. */
function echoPreset(provider: TestProvider, echo: EchoUpstream) {
  return providerDefinitionSchema.parse({
    id: 'acme-echo',
    name: 'Acme Echo',
    docs: { oauth: 'https://acme.example/docs/oauth' },
    lastVerified: '2026-12-04',
    authModes: ['per-user', 'shared'],
    authorizationUrl: provider.authorizationEndpoint,
    tokenUrl: provider.tokenEndpoint,
    scopes: { default: ['openid'], separator: ',' },
    apiBaseUrl: `${echo.url}/app/`,
    apiHeaders: { 'X-Acme-Client': '{client_id}' },
    apiTokenHeader: { name: 'X-Acme-Token' },
  });
}

describe('connectors made from catalog presets (real oidc-provider)', () => {
  let provider: TestProvider;
  let api: ResourceApi;
  let service: TestService;
  let echo: EchoUpstream;

  const createAcme = (config: Record<string, string>, name = `Acme ${Math.random()}`) =>
    service.asAdmin({
      method: 'POST',
      url: '/api/connectors',
      body: {
        name,
        provider: 'acme',
        authMode: 'per-user',
        config,
        secrets: { clientSecret: PROVIDER_CLIENT_SECRET },
      },
    });

  beforeAll(async () => {
    provider = await startProvider();
    api = await startResourceApi({ provider });
    provider.setTokenResponseQuirks({ extraFields: { team: { id: 'T 42/x' } } });
    echo = await startEchoUpstream();
    const presets = [acmePreset(provider, api), echoPreset(provider, echo)];
    const catalog = catalogOf([...loadCatalog().list(), ...presets]);
    service = await startTestService(
      { LATCHKEY_JOBS_ENABLED: 'false', LATCHKEY_SESSION_TTL_SECONDS: String(30 * 86400) },
      undefined,
      { catalog },
    );
  });
  afterAll(async () => {
    await service.stop();
    await api.stop();
    await echo.stop();
    await provider.stop();
  });
  beforeEach(() => provider.resetCounts());

  it('lists the presets an admin can pick, with what each needs and no secret', async () => {
    const response = await service.asAdmin({ method: 'GET', url: '/api/providers' });
    expect(response.statusCode).toBe(200);
    const { providers, redirectUri } = response.json();
    expect(redirectUri).toBe(REDIRECT_URI);
    expect(providers.length).toBeGreaterThanOrEqual(loadCatalog().list().length);
    expect(providers.find((p: { id: string }) => p.id === 'acme')).toEqual({
      id: 'acme',
      name: 'Acme',
      authModes: ['per-user'],
      inputs: [{ name: 'region', label: 'Region', kind: 'subdomain', default: 'eu' }],
      scopes: { default: ['read'], required: ['openid'], separator: ' ' },
      clientAuth: 'client_secret_basic',
      docs: { oauth: 'https://acme.example/docs/oauth', console: 'https://acme.example/apps' },
      lastVerified: '2026-12-04',
    });
  });

  it('makes a connector from the client and inputs alone, showing the endpoints it resolved', async () => {
    const response = await createAcme({ clientId: 'latchkey', scope: 'read  write' });
    expect(response.statusCode).toBe(201);
    const view = response.json();
    expect(view).toMatchObject({
      provider: 'acme',
      config: { clientId: 'latchkey', scope: 'read  write', region: 'eu' },
      endpoints: {
        authorizationUrl: provider.authorizationEndpoint,
        tokenUrl: provider.tokenEndpoint,
        revocationUrl: provider.revocationEndpoint,
        apiBaseUrl: `${api.url}/eu/teams/{team_id}/`,
      },
      secretsSet: ['clientSecret'],
    });
    expect(JSON.stringify(view)).not.toContain(PROVIDER_CLIENT_SECRET);
  });

  it('asks the provider for the typed scopes plus the required ones, with its parameters and PKCE', async () => {
    const { id } = (await createAcme({ clientId: 'latchkey', scope: 'read write' })).json();
    const viewer = await service.sessionFor('viewer');
    const flow = await startFlow(service, viewer.cookie, id);
    const url = new URL(flow.authorizationUrl);
    expect(url.searchParams.get('scope')).toBe('read write openid');
    expect(url.searchParams.get('ui_locales')).toBe('en');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('connects, keeps the values the provider handed out, and calls the API where they say', async () => {
    const { id } = (await createAcme({ clientId: 'latchkey', region: 'us' })).json();
    const viewer = await service.sessionFor('viewer');
    const { response } = await connect(service, viewer.cookie, id);
    expect(response.statusCode).toBe(200);
    expect(await statusOf(service, viewer.cookie, id)).toBe('connected');
    const connection = await service.deps.store.connections.find(id, viewer.userId);
    expect(connection?.metadata).toEqual({ team_id: 'T 42/x', issued_by: provider.issuer });

    const proxied = await service.request({
      method: 'GET',
      url: `/api/connectors/${id}/proxy/echo?x=1`,
      cookie: viewer.cookie,
    });
    expect(proxied.statusCode).toBe(200);
    // The kept value is one encoded path segment: it cannot climb out of the base URL.
    expect(proxied.json()).toMatchObject({ path: '/us/teams/T%2042%2Fx/echo' });
    expect(api.lastRequestHeaders?.['x-acme-version']).toBe('2026-01');

    const overridden = await service.request({
      method: 'GET',
      url: `/api/connectors/${id}/proxy/echo`,
      cookie: viewer.cookie,
      headers: { 'x-acme-version': '2027-01' },
    });
    expect(overridden.statusCode).toBe(200);
    expect(api.lastRequestHeaders?.['x-acme-version']).toBe('2027-01');
  });

  it('keeps the values through a refresh whose answer repeats only some of them', async () => {
    const { id } = (await createAcme({ clientId: 'latchkey' })).json();
    const viewer = await service.sessionFor('viewer');
    await connect(service, viewer.cookie, id);
    const before = await storedTokens(service, id, viewer.userId);
    provider.setTokenResponseQuirks({ extraFields: { team: { id: 'T7' } } });
    try {
      expireAccessTokens(service);
      const proxied = await service.request({
        method: 'GET',
        url: `/api/connectors/${id}/proxy/echo`,
        cookie: viewer.cookie,
      });
      expect(proxied.statusCode).toBe(200);
      expect(provider.counts.tokenByGrant.refresh_token).toBe(1);
      expect(proxied.json()).toMatchObject({ path: '/eu/teams/T7/echo' });
    } finally {
      provider.setTokenResponseQuirks({ extraFields: { team: { id: 'T 42/x' } } });
    }
    const connection = await service.deps.store.connections.find(id, viewer.userId);
    expect(connection?.metadata).toEqual({ team_id: 'T7', issued_by: provider.issuer });
    expect((await storedTokens(service, id, viewer.userId))?.accessToken).not.toBe(
      before?.accessToken,
    );
  });

  it('refuses what a preset does not declare, naming it, and stores nothing', async () => {
    const before = (await service.asAdmin({ method: 'GET', url: '/api/connectors' })).json();
    const cases: [Record<string, string>, string][] = [
      [{ clientId: 'latchkey', tokenUrl: 'https://attacker.example/token' }, 'config.tokenUrl'],
      [{ clientId: 'latchkey', region: 'eu/../../x' }, 'config.region'],
      [{ clientId: 'latchkey', region: 'attacker.example' }, 'config.region'],
      [{ scope: 'read' }, 'config.clientId'],
    ];
    for (const [config, field] of cases) {
      const response = await createAcme(config);
      expect(response.statusCode, JSON.stringify(config)).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'validation_failed' });
      expect(response.json().error.message).toContain(field);
    }
    const unknown = await service.asAdmin({
      method: 'POST',
      url: '/api/connectors',
      body: { name: 'Nobody', provider: 'nobody', authMode: 'per-user', config: { clientId: 'x' } },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('provider_not_found');
    const after = (await service.asAdmin({ method: 'GET', url: '/api/connectors' })).json();
    expect(after.connectors).toHaveLength(before.connectors.length);
  });

  it('needs the secret again when an input moves an endpoint, and keeps it otherwise', async () => {
    const { id, name } = (await createAcme({ clientId: 'latchkey' })).json();
    const update = (config: Record<string, string>, secrets?: Record<string, string>) =>
      service.asAdmin({
        method: 'PUT',
        url: `/api/connectors/${id}`,
        body: {
          name,
          provider: 'acme',
          authMode: 'per-user',
          config,
          ...(secrets ? { secrets } : {}),
        },
      });
    expect((await update({ clientId: 'latchkey', scope: 'read write' })).statusCode).toBe(200);
    const moved = await update({ clientId: 'latchkey', region: 'us' });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().error).toMatchObject({
      code: 'secret_required',
      details: { fields: ['secrets.clientSecret'], changed: ['config.apiBaseUrl'] },
    });
    const again = await update(
      { clientId: 'latchkey', region: 'us' },
      { clientSecret: PROVIDER_CLIENT_SECRET },
    );
    expect(again.statusCode).toBe(200);
    expect(again.json().endpoints.apiBaseUrl).toBe(`${api.url}/us/teams/{team_id}/`);
  });

  it('still names the field of a custom connector that fails the schema', async () => {
    const response = await service.asAdmin({
      method: 'POST',
      url: '/api/connectors',
      body: {
        name: 'Custom',
        authMode: 'per-user',
        config: {
          authorizationUrl: 'https://a.example',
          tokenUrl: 'https://a.example',
          clientId: 'x',
        },
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/^body\/config\/apiBaseUrl: /);
  });

  it('gives apps the kept values with the token', async () => {
    const { id } = (await createAcme({ clientId: 'latchkey' })).json();
    const viewer = await service.sessionFor('viewer');
    await connect(service, viewer.cookie, id);
    const { key } = await createApiKey(service, ['tokens:read', 'on_behalf']);
    const token = await service.request({
      method: 'GET',
      url: `/api/connectors/${id}/_token`,
      headers: { authorization: `ApiKey ${key}`, 'x-latchkey-user': viewer.userId },
    });
    expect(token.statusCode).toBe(200);
    expect(token.json().metadata).toEqual({ team_id: 'T 42/x', issued_by: provider.issuer });
  });

  it("sends the token in the header the preset's API takes, naming the client", async () => {
    const created = await service.asAdmin({
      method: 'POST',
      url: '/api/connectors',
      body: {
        name: 'Echo user',
        provider: 'acme-echo',
        authMode: 'per-user',
        config: { clientId: 'latchkey' },
        secrets: { clientSecret: PROVIDER_CLIENT_SECRET },
      },
    });
    const viewer = await service.sessionFor('viewer');
    await connect(service, viewer.cookie, created.json().id);
    const proxied = await service.request({
      method: 'GET',
      url: `/api/connectors/${created.json().id}/proxy/things`,
      cookie: viewer.cookie,
    });
    expect(proxied.statusCode).toBe(200);
    const sent = echo.requests.at(-1)?.headers;
    const stored = await storedTokens(service, created.json().id, viewer.userId);
    expect(sent?.['x-acme-token']).toBe(stored?.accessToken);
    expect(sent?.authorization).toBeUndefined();
    expect(sent?.['x-acme-client']).toBe('latchkey');
  });

  it("makes a shared connector from a preset: the app's token, the typed scopes, the API's headers", async () => {
    const created = await service.asAdmin({
      method: 'POST',
      url: '/api/connectors',
      body: {
        name: 'Echo app',
        provider: 'acme-echo',
        authMode: 'shared',
        config: { clientId: 'latchkey', scope: 'read write' },
        secrets: { clientSecret: PROVIDER_CLIENT_SECRET },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().endpoints).toEqual({
      tokenUrl: provider.tokenEndpoint,
      apiBaseUrl: `${echo.url}/app/`,
    });
    const stored = await service.deps.store.connectors.findById(created.json().id);
    expect(stored?.config).toMatchObject({
      credentialType: 'client_credentials',
      scope: 'read,write',
    });
    const refusedShared = await service.asAdmin({
      method: 'POST',
      url: '/api/connectors',
      body: {
        name: 'Acme app',
        provider: 'acme',
        authMode: 'shared',
        config: { clientId: 'latchkey' },
        secrets: { clientSecret: PROVIDER_CLIENT_SECRET },
      },
    });
    expect(refusedShared.statusCode).toBe(400);
    expect(refusedShared.json().error.message).toContain('Acme connectors are per-user');
  });
});
