import { type DropboxStandIn, startDropboxStandIn } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenEndpointBasic } from './support/basic-credentials';
import { connect, REDIRECT_URI, statusOf, type UserSession } from './support/oauth-harness';
import { catalogWithStandIn } from './support/stand-in-catalog';
import { storedTokens } from './support/stored-state';
import { startTestService, type TestService } from './support/test-service';

const FOUR_HOURS_MS = 14_400 * 1000;

/** The Dropbox preset, end to end, against a stand-in of Dropbox's documented answers. */
describe('Dropbox preset (stand-in)', () => {
  let dropbox: DropboxStandIn;
  let service: TestService;
  let connectorId: string;

  beforeAll(async () => {
    dropbox = await startDropboxStandIn();
    const catalog = catalogWithStandIn('dropbox', {
      authorizationUrl: `${dropbox.baseUrl}/oauth2/authorize`,
      tokenUrl: `${dropbox.baseUrl}/oauth2/token`,
      apiBaseUrl: `${dropbox.baseUrl}/2`,
    });
    service = await startTestService({ LATCHKEY_JOBS_ENABLED: 'false' }, undefined, { catalog });
    const created = await service.asAdmin({
      method: 'POST',
      url: '/api/connectors',
      body: {
        name: 'Dropbox',
        provider: 'dropbox',
        authMode: 'per-user',
        config: { clientId: dropbox.clientId },
        secrets: { clientSecret: dropbox.clientSecret },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    connectorId = created.json().id;
  });
  afterAll(async () => {
    await service.stop();
    await dropbox.close();
  });

  const requestsTo = (path: string) => dropbox.requests.filter((request) => request.path === path);
  const basic = () => tokenEndpointBasic(dropbox.clientId, dropbox.clientSecret);
  const currentAccount = (user: UserSession) =>
    service.request({
      method: 'POST',
      url: `/api/connectors/${connectorId}/proxy/users/get_current_account`,
      cookie: user.cookie,
    });
  const connection = (user: UserSession) =>
    service.deps.store.connections.find(connectorId, user.userId);

  async function connectedUser(): Promise<UserSession> {
    const user = await service.sessionFor('viewer');
    const { response } = await connect(service, user.cookie, connectorId);
    expect(response.statusCode).toBeLessThan(400);
    expect(await statusOf(service, user.cookie, connectorId)).toBe('connected');
    return user;
  }

  it('asks for offline access, authenticates with Basic, and stores both tokens', async () => {
    const user = await connectedUser();
    expect(requestsTo('/oauth2/authorize').at(-1)?.query).toMatchObject({
      client_id: dropbox.clientId,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'account_info.read',
      token_access_type: 'offline',
      code_challenge_method: 'S256',
    });
    const token = requestsTo('/oauth2/token').at(-1);
    expect(token?.headers.authorization).toBe(basic());
    expect(token?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    const fields = Object.fromEntries(new URLSearchParams(token?.body));
    expect(Object.keys(fields).sort()).toEqual(
      ['code', 'code_verifier', 'grant_type', 'redirect_uri'].sort(),
    );
    expect(fields).toMatchObject({ grant_type: 'authorization_code', redirect_uri: REDIRECT_URI });
    const stored = await storedTokens(service, connectorId, user.userId);
    expect(stored?.accessToken).toMatch(/^sl\.u\./);
    expect(stored?.refreshToken).toMatch(/^[0-9a-f]{36}$/);
    expect((await connection(user))?.expiresAt).toBe(service.clock.now + FOUR_HOURS_MS);
  });

  it('calls an RPC endpoint with the token as bearer', async () => {
    const user = await connectedUser();
    const answer = await currentAccount(user);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({ account_id: 'dbid:STANDIN' });
    const stored = await storedTokens(service, connectorId, user.userId);
    expect(requestsTo('/2/users/get_current_account').at(-1)?.headers.authorization).toBe(
      `Bearer ${stored?.accessToken}`,
    );
  });

  it('refreshes on expired_access_token, with Basic, keeping the refresh token', async () => {
    const user = await connectedUser();
    const before = await storedTokens(service, connectorId, user.userId);
    dropbox.expireAccessTokens();
    const answer = await currentAccount(user);
    expect(answer.statusCode, answer.body).toBe(200);
    const refresh = requestsTo('/oauth2/token').at(-1);
    expect(refresh?.headers.authorization).toBe(basic());
    expect(Object.fromEntries(new URLSearchParams(refresh?.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: before?.refreshToken,
    });
    const after = await storedTokens(service, connectorId, user.userId);
    expect(after?.refreshToken).toBe(before?.refreshToken);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(dropbox.isLive(after?.accessToken ?? '')).toBe(true);
  });

  it('asks the user to reconnect once the app is unlinked at Dropbox', async () => {
    const user = await connectedUser();
    const stored = await storedTokens(service, connectorId, user.userId);
    // The user unlinks the app: the grant's tokens all go, the refresh token with them.
    const unlinked = await fetch(`${dropbox.baseUrl}/2/auth/token/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stored?.accessToken}` },
    });
    expect(unlinked.status).toBe(200);
    await currentAccount(user);
    expect(await statusOf(service, user.cookie, connectorId)).toBe('reauth_required');
  });

  it('revokes through auth/token/revoke on disconnect: one bodiless call', async () => {
    const user = await connectedUser();
    const stored = await storedTokens(service, connectorId, user.userId);
    const before = dropbox.requests.length;
    const answer = await service.request({
      method: 'POST',
      url: `/api/connectors/${connectorId}/_oauth_disconnect`,
      cookie: user.cookie,
      body: {},
    });
    expect(answer.statusCode).toBe(204);
    const sent = dropbox.requests.slice(before);
    expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /2/auth/token/revoke',
    ]);
    expect(sent[0]?.headers.authorization).toBe(`Bearer ${stored?.accessToken}`);
    expect(sent[0]?.headers['content-type']).toBeUndefined();
    expect(sent[0]?.body).toBe('');
    expect(dropbox.isLive(stored?.accessToken ?? '')).toBe(false);
  });
});
