import {
  type RecordedRequest,
  type RecordingServer,
  type ResourceApi,
  startRecordingServer,
  startResourceApi,
  type TestProvider,
} from '@latchkey/testing';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { queryDatabase } from './support/database-queries';
import { type EchoUpstream, rawHeaderValues, startEchoUpstream } from './support/echo-upstream';
import {
  authorizeAtProvider,
  connect,
  createProviderConnector,
  deliverCallback,
  PROVIDER_CLIENT_SECRET,
  sessionsFor,
  startFlow,
  startOAuthService,
  startProvider,
  type UserSession,
} from './support/oauth-harness';
import type { TestService } from './support/test-service';

const STATIC_TOKEN = 'admin-entered-bearer-token-0123';
const STATIC_API_KEY = 'admin-entered-api-key-0123';
/** What an editor enters with a moved endpoint: a secret they know, never the admin's. */
const REENTERED = 'editor-entered:secret+with%odd=chars';

/**
 * Invariant 8: a stored secret goes only to the endpoint it was entered for. An editor moves
 * a connector's endpoint to a loopback "attacker" without entering the secret again: the
 * update is refused, nothing is stored, and the attacker hears nothing, also when the
 * connector is then used. With the secret entered again the move is accepted.
 */
describe('connector secrets follow their endpoints', () => {
  let provider: TestProvider;
  let api: ResourceApi;
  let upstream: EchoUpstream;
  let attacker: RecordingServer;
  let service: TestService;
  let editor: UserSession;
  let viewer: UserSession;
  let proxyKey: string;

  beforeAll(async () => {
    provider = await startProvider();
    api = await startResourceApi({ provider });
    upstream = await startEchoUpstream();
    attacker = await startRecordingServer();
    service = await startOAuthService();
    [editor, viewer] = (await sessionsFor(service, 'editor', 'viewer')) as [
      UserSession,
      UserSession,
    ];
    proxyKey = (await createApiKey(service, ['proxy'])).key;
  });
  afterAll(async () => {
    await service.stop();
    await attacker.stop();
    await upstream.stop();
    await api.stop();
    await provider.stop();
  });
  beforeEach(() => {
    attacker.requests.length = 0;
    provider.resetCounts();
  });

  async function createShared(config: Record<string, unknown>, secrets: Record<string, string>) {
    const response = await service.asAdmin({
      method: 'POST',
      url: '/api/connectors',
      body: {
        name: `Shared ${Math.random().toString(36).slice(2, 8)}`,
        authMode: 'shared',
        config,
        secrets,
      },
    });
    if (response.statusCode !== 201) throw new Error(`not created: ${response.body}`);
    return response.json().id as string;
  }

  /** The editor's PUT: the connector as it is, with `change` applied to its config. */
  async function edit(
    id: string,
    change: {
      config?: Record<string, unknown>;
      secrets?: Record<string, string>;
      authMode?: string;
    },
  ): Promise<LightMyRequestResponse> {
    const current = (
      await service.request({ method: 'GET', url: `/api/connectors/${id}`, cookie: editor.cookie })
    ).json();
    return service.request({
      method: 'PUT',
      url: `/api/connectors/${id}`,
      cookie: editor.cookie,
      body: {
        name: current.name,
        provider: current.provider,
        authMode: change.authMode ?? current.authMode,
        config: { ...current.config, ...change.config },
        ...(change.secrets ? { secrets: change.secrets } : {}),
      },
    });
  }

  /** The connector's row as stored, secrets sealed: compared whole before and after. */
  function storedRow(id: string) {
    return queryDatabase(service, 'select * from connectors where id = ?', id);
  }

  function expectSecretRequired(
    response: LightMyRequestResponse,
    fields: string[],
    changed: string[],
  ) {
    expect(response.statusCode, response.body).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('secret_required');
    expect(error.details).toEqual({ fields, changed });
    for (const field of [...fields, ...changed]) expect(error.message).toContain(field);
  }

  const byKey = (id: string, path: string) =>
    service.request({
      method: 'GET',
      url: `/api/connectors/${id}/proxy/${path}`,
      headers: { authorization: `ApiKey ${proxyKey}` },
    });

  /** The client secret of a `client_secret_basic` request (RFC 6749 §2.3.1), decoded. */
  function basicSecretOf(request: RecordedRequest | undefined): string | undefined {
    const credentials = /^Basic (.+)$/.exec(request?.headers.authorization ?? '')?.[1];
    if (!credentials) return undefined;
    const [, secret] = Buffer.from(credentials, 'base64').toString('utf8').split(':');
    return decodeURIComponent((secret ?? '').replace(/\+/g, ' '));
  }

  it('per-user: no endpoint or client moves without the client secret; users connect only at the provider', async () => {
    const id = await createProviderConnector(service, provider);
    const before = await storedRow(id);

    for (const field of ['authorizationUrl', 'tokenUrl', 'revocationUrl', 'issuer', 'apiBaseUrl']) {
      const refused = await edit(id, { config: { [field]: `${attacker.url}/${field}` } });
      expectSecretRequired(refused, ['secrets.clientSecret'], [`config.${field}`]);
    }
    expectSecretRequired(
      await edit(id, { config: { clientId: 'attackers-client' } }),
      ['secrets.clientSecret'],
      ['config.clientId'],
    );
    expectSecretRequired(
      await edit(id, {
        config: { tokenUrl: `${attacker.url}/token`, revocationUrl: `${attacker.url}/revoke` },
      }),
      ['secrets.clientSecret'],
      ['config.tokenUrl', 'config.revocationUrl'],
    );
    expect(await storedRow(id)).toEqual(before);

    // What would carry the secret, the code or the verifier still goes to the provider alone.
    const { flow, response } = await connect(service, viewer.cookie, id);
    expect(new URL(flow.authorizationUrl).origin).toBe(new URL(provider.issuer).origin);
    expect(response.statusCode).toBe(200);
    const disconnected = await service.request({
      method: 'POST',
      url: `/api/connectors/${id}/_oauth_disconnect`,
      cookie: viewer.cookie,
      body: {},
    });
    expect(disconnected.statusCode).toBe(204);
    expect(provider.counts.tokenByGrant.authorization_code).toBe(1);
    expect(provider.counts.revocation).toBeGreaterThan(0);
    expect(attacker.requests).toEqual([]);

    // Entered again, the secret moves with the endpoint, and only that secret goes there.
    const accepted = await edit(id, {
      config: { tokenUrl: `${attacker.url}/token` },
      secrets: { clientSecret: REENTERED },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().config.tokenUrl).toBe(`${attacker.url}/token`);
    const next = await startFlow(service, viewer.cookie, id);
    const callbackUrl = await authorizeAtProvider(next.authorizationUrl);
    await deliverCallback(service, callbackUrl, next.browserCookie);
    expect(attacker.requests.map((r) => r.url)).toEqual(['/token']);
    expect(basicSecretOf(attacker.requests[0])).toBe(REENTERED);
    expect(JSON.stringify(attacker.requests)).not.toContain(PROVIDER_CLIENT_SECRET);
  });

  it('shared bearer_token: the API base URL and the credential type move only with the secret', async () => {
    const id = await createShared(
      { credentialType: 'bearer_token', apiBaseUrl: `${upstream.url}/` },
      { token: STATIC_TOKEN },
    );
    const before = await storedRow(id);

    expectSecretRequired(
      await edit(id, { config: { apiBaseUrl: `${attacker.url}/` } }),
      ['secrets.token'],
      ['config.apiBaseUrl'],
    );
    expectSecretRequired(
      await edit(id, {
        config: { credentialType: 'api_key_header', headerName: 'X-Api-Key' },
      }),
      ['secrets.apiKey'],
      ['config.credentialType', 'config.headerName'],
    );
    expect(await storedRow(id)).toEqual(before);

    const proxied = await byKey(id, 'items');
    expect(proxied.statusCode).toBe(200);
    expect(rawHeaderValues(upstream.requests.at(-1)?.rawHeaders ?? [], 'authorization')).toEqual([
      `Bearer ${STATIC_TOKEN}`,
    ]);
    expect(attacker.requests).toEqual([]);

    const accepted = await edit(id, {
      config: { apiBaseUrl: `${attacker.url}/` },
      secrets: { token: REENTERED },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect((await byKey(id, 'items')).statusCode).toBe(200);
    expect(attacker.requests.map((r) => [r.url, r.headers.authorization])).toEqual([
      ['/items', `Bearer ${REENTERED}`],
    ]);
  });

  it('shared api_key_header: the API base URL and the header name move only with the key', async () => {
    const id = await createShared(
      { credentialType: 'api_key_header', headerName: 'X-Api-Key', apiBaseUrl: `${upstream.url}/` },
      { apiKey: STATIC_API_KEY },
    );
    const before = await storedRow(id);

    expectSecretRequired(
      await edit(id, { config: { apiBaseUrl: `${attacker.url}/` } }),
      ['secrets.apiKey'],
      ['config.apiBaseUrl'],
    );
    // An API that echoes a request id back would hand the key to every caller of the proxy.
    expectSecretRequired(
      await edit(id, { config: { headerName: 'X-Request-Id' } }),
      ['secrets.apiKey'],
      ['config.headerName'],
    );
    expect(await storedRow(id)).toEqual(before);

    expect((await byKey(id, 'items')).statusCode).toBe(200);
    const received = upstream.requests.at(-1)?.rawHeaders ?? [];
    expect(rawHeaderValues(received, 'x-api-key')).toEqual([STATIC_API_KEY]);
    expect(rawHeaderValues(received, 'x-request-id')).toEqual([]);
    expect(attacker.requests).toEqual([]);

    // A change the key is not bound to keeps it.
    const rescoped = await edit(id, { config: { scope: 'read' } });
    expect([rescoped.statusCode, rescoped.json().secretsSet]).toEqual([200, ['apiKey']]);
    expect((await byKey(id, 'items')).statusCode).toBe(200);
    expect(rawHeaderValues(upstream.requests.at(-1)?.rawHeaders ?? [], 'x-api-key')).toEqual([
      STATIC_API_KEY,
    ]);

    const accepted = await edit(id, {
      config: { headerName: 'X-Other-Key' },
      secrets: { apiKey: REENTERED },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect((await byKey(id, 'items')).statusCode).toBe(200);
    const after = upstream.requests.at(-1)?.rawHeaders ?? [];
    expect(rawHeaderValues(after, 'x-other-key')).toEqual([REENTERED]);
    expect(rawHeaderValues(after, 'x-api-key')).toEqual([]);
  });

  it('shared client_credentials: the token URL, API base URL and client move only with the secret', async () => {
    const id = await createShared(
      {
        credentialType: 'client_credentials',
        tokenUrl: provider.tokenEndpoint,
        clientId: 'latchkey',
        scope: 'read',
        apiBaseUrl: `${api.url}/`,
      },
      { clientSecret: PROVIDER_CLIENT_SECRET },
    );
    const before = await storedRow(id);

    for (const field of ['tokenUrl', 'apiBaseUrl']) {
      expectSecretRequired(
        await edit(id, { config: { [field]: `${attacker.url}/${field}` } }),
        ['secrets.clientSecret'],
        [`config.${field}`],
      );
    }
    expectSecretRequired(
      await edit(id, { config: { clientId: 'attackers-client' } }),
      ['secrets.clientSecret'],
      ['config.clientId'],
    );
    expect(await storedRow(id)).toEqual(before);

    // The token request, with the secret, and the call with its token, go where they did.
    expect((await byKey(id, 'items')).statusCode).toBe(200);
    expect(provider.counts.tokenByGrant.client_credentials).toBe(1);
    expect(attacker.requests).toEqual([]);

    const accepted = await edit(id, {
      config: { tokenUrl: `${attacker.url}/token` },
      secrets: { clientSecret: REENTERED },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    // The attacker is no token endpoint: the call fails, but it shows what was sent there.
    expect((await byKey(id, 'items')).json().error.code).toBe('shared_credential_failed');
    expect(attacker.requests.map((r) => r.url)).toEqual(['/token']);
    expect(basicSecretOf(attacker.requests[0])).toBe(REENTERED);
    expect(JSON.stringify(attacker.requests)).not.toContain(PROVIDER_CLIENT_SECRET);
  });

  it('an auth mode change needs the secrets of the new mode', async () => {
    const id = await createShared(
      { credentialType: 'bearer_token', apiBaseUrl: `${upstream.url}/` },
      { token: STATIC_TOKEN },
    );
    const before = await storedRow(id);
    const refused = await edit(id, {
      authMode: 'per-user',
      config: {
        credentialType: undefined,
        authorizationUrl: `${attacker.url}/authorize`,
        tokenUrl: `${attacker.url}/token`,
        clientId: 'attackers-client',
      },
    });
    expectSecretRequired(
      refused,
      ['secrets.clientSecret'],
      [
        'authMode',
        'config.authorizationUrl',
        'config.tokenUrl',
        'config.clientId',
        'config.credentialType',
      ],
    );
    expect(await storedRow(id)).toEqual(before);
    expect(attacker.requests).toEqual([]);
  });

  it('audits creation, each update by field name (refusals too) and deletion, never a secret', async () => {
    const admin = (await service.asAdmin({ method: 'GET', url: '/api/auth/me' })).json();
    const id = await createProviderConnector(service, provider);
    const moved = { tokenUrl: `${attacker.url}/token` };
    const steps = [
      () => edit(id, { config: moved }),
      () =>
        edit(id, { config: { ...moved, scope: 'openid' }, secrets: { clientSecret: REENTERED } }),
      () =>
        service.request({ method: 'DELETE', url: `/api/connectors/${id}`, cookie: editor.cookie }),
    ];
    for (const step of steps) {
      // Distinct times give the events a clear order.
      service.clock.now += 1000;
      await step();
    }

    const audit = await service.asAdmin({ method: 'GET', url: '/api/audit?limit=500' });
    const events = audit
      .json()
      .events.filter((e: { connectorId: string | null }) => e.connectorId === id)
      .reverse();
    expect(
      events.map((e: Record<string, unknown>) => [e.action, e.outcome, e.reason, e.actorUserId]),
    ).toEqual([
      ['connector_created', 'success', null, admin.id],
      ['connector_updated', 'failure', 'secret_required', editor.userId],
      ['connector_updated', 'success', null, editor.userId],
      ['connector_deleted', 'success', null, editor.userId],
    ]);
    expect(events.map((e: { details: unknown }) => e.details)).toEqual([
      null,
      { fields: ['secrets.clientSecret'], changed: ['config.tokenUrl'] },
      {
        changes: {
          'config.tokenUrl': 'changed',
          'config.scope': 'changed',
          'secrets.clientSecret': 'replaced',
        },
        connectionsDeleted: 0,
      },
      { connectionsDeleted: 0 },
    ]);
    const table = JSON.stringify(await queryDatabase(service, 'select * from audit_events'));
    for (const secret of [PROVIDER_CLIENT_SECRET, REENTERED]) {
      expect(audit.body).not.toContain(secret);
      expect(table).not.toContain(secret);
    }
  });
});
