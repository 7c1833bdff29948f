import { type NotionStandIn, type StandInRequest, startNotionStandIn } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainBasic, tokenEndpointBasic } from './support/basic-credentials';
import { connect, REDIRECT_URI, statusOf, type UserSession } from './support/oauth-harness';
import { catalogWithStandIn } from './support/stand-in-catalog';
import { storedTokens } from './support/stored-state';
import { startTestService, type TestService } from './support/test-service';

const NOTION_VERSION = '2025-09-03';

/** The Notion preset, end to end, against a stand-in of Notion's documented answers. */
describe('Notion preset (stand-in)', () => {
  let notion: NotionStandIn;
  let service: TestService;
  let connectorId: string;

  beforeAll(async () => {
    notion = await startNotionStandIn();
    const catalog = catalogWithStandIn('notion', {
      authorizationUrl: `${notion.baseUrl}/v1/oauth/authorize`,
      tokenUrl: `${notion.baseUrl}/v1/oauth/token`,
      apiBaseUrl: `${notion.baseUrl}/v1`,
    });
    service = await startTestService({ LATCHKEY_JOBS_ENABLED: 'false' }, undefined, { catalog });
    const created = await service.asAdmin({
      method: 'POST',
      url: '/api/connectors',
      body: {
        name: 'Notion',
        provider: 'notion',
        authMode: 'per-user',
        config: { clientId: notion.clientId },
        secrets: { clientSecret: notion.clientSecret },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    connectorId = created.json().id;
  });
  afterAll(async () => {
    await service.stop();
    await notion.close();
  });

  const requestsTo = (path: string) => notion.requests.filter((request) => request.path === path);
  const tokenBasic = () => tokenEndpointBasic(notion.clientId, notion.clientSecret);
  const jsonOf = (request: StandInRequest | undefined): unknown => JSON.parse(request?.body ?? '');
  const me = (user: UserSession) =>
    service.request({
      method: 'GET',
      url: `/api/connectors/${connectorId}/proxy/users/me`,
      cookie: user.cookie,
    });

  async function connectedUser(): Promise<UserSession> {
    const user = await service.sessionFor('viewer');
    const { response } = await connect(service, user.cookie, connectorId);
    expect(response.statusCode).toBeLessThan(400);
    expect(await statusOf(service, user.cookie, connectorId)).toBe('connected');
    return user;
  }

  it('connects with Basic client authentication and a JSON token request', async () => {
    const user = await connectedUser();
    const authorize = requestsTo('/v1/oauth/authorize').at(-1);
    expect(authorize?.query).toMatchObject({
      client_id: notion.clientId,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      owner: 'user',
    });
    const token = requestsTo('/v1/oauth/token').at(-1);
    expect(token?.headers.authorization).toBe(tokenBasic());
    expect(token?.headers['content-type']).toBe('application/json');
    expect(jsonOf(token)).toEqual({
      grant_type: 'authorization_code',
      code: expect.any(String),
      redirect_uri: REDIRECT_URI,
      code_verifier: expect.stringMatching(/^[\w-]{43,128}$/),
    });
    const stored = await storedTokens(service, connectorId, user.userId);
    expect(stored?.accessToken).toMatch(/^ntn_/);
    expect(stored?.refreshToken).toMatch(/^nrt_/);
    // Notion's documented answer has no expires_in; the entry keeps nothing from it.
    expect(await service.deps.store.connections.find(connectorId, user.userId)).toMatchObject({
      expiresAt: null,
      metadata: null,
    });
  });

  it('calls the API with the token as bearer and the Notion-Version header', async () => {
    const user = await connectedUser();
    const answer = await me(user);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({ object: 'user', type: 'bot' });
    const stored = await storedTokens(service, connectorId, user.userId);
    expect(requestsTo('/v1/users/me').at(-1)?.headers).toMatchObject({
      authorization: `Bearer ${stored?.accessToken}`,
      'notion-version': NOTION_VERSION,
    });
  });

  it('refreshes on a 401 with a JSON body, storing the rotated refresh token', async () => {
    const user = await connectedUser();
    const before = await storedTokens(service, connectorId, user.userId);
    notion.expireAccessTokens();
    const answer = await me(user);
    expect(answer.statusCode, answer.body).toBe(200);
    const refresh = requestsTo('/v1/oauth/token').at(-1);
    expect(refresh?.headers.authorization).toBe(tokenBasic());
    expect(refresh?.headers['content-type']).toBe('application/json');
    expect(jsonOf(refresh)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: before?.refreshToken,
    });
    const after = await storedTokens(service, connectorId, user.userId);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(notion.isLive(after?.refreshToken ?? '')).toBe(true);
    expect(notion.isLive(after?.accessToken ?? '')).toBe(true);
  });

  it('asks the user to reconnect when Notion refuses the refresh token', async () => {
    const user = await connectedUser();
    const stored = await storedTokens(service, connectorId, user.userId);
    const revoked = await fetch(`${notion.baseUrl}/v1/oauth/revoke`, {
      method: 'POST',
      headers: {
        authorization: plainBasic(notion.clientId, notion.clientSecret),
        'content-type': 'application/json',
        'notion-version': NOTION_VERSION,
      },
      body: JSON.stringify({ token: stored?.refreshToken }),
    });
    expect(revoked.status).toBe(200);
    notion.expireAccessTokens();
    await me(user);
    expect(await statusOf(service, user.cookie, connectorId)).toBe('reauth_required');
  });

  it('revokes each token on disconnect: Basic, Notion-Version, a JSON body', async () => {
    const user = await connectedUser();
    const stored = await storedTokens(service, connectorId, user.userId);
    const before = notion.requests.length;
    const answer = await service.request({
      method: 'POST',
      url: `/api/connectors/${connectorId}/_oauth_disconnect`,
      cookie: user.cookie,
      body: {},
    });
    expect(answer.statusCode).toBe(204);
    const sent = notion.requests.slice(before);
    expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /v1/oauth/revoke',
      'POST /v1/oauth/revoke',
    ]);
    for (const request of sent) {
      expect(request.headers).toMatchObject({
        // RFC 7617 as Notion documents it: no form encoding of the client id's `-`.
        authorization: plainBasic(notion.clientId, notion.clientSecret),
        'content-type': 'application/json',
        'notion-version': NOTION_VERSION,
      });
    }
    expect(sent.map(jsonOf)).toEqual([
      { token: stored?.refreshToken },
      { token: stored?.accessToken },
    ]);
    expect(notion.isLive(stored?.accessToken ?? '')).toBe(false);
    expect(notion.isLive(stored?.refreshToken ?? '')).toBe(false);
  });
});
