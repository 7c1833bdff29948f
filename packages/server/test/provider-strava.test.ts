import { type StravaStandIn, startStravaStandIn } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, REDIRECT_URI, statusOf, type UserSession } from './support/oauth-harness';
import { catalogWithStandIn } from './support/stand-in-catalog';
import { storedTokens } from './support/stored-state';
import { startTestService, type TestService } from './support/test-service';

const SIX_HOURS_MS = 21_600 * 1000;

/** The Strava preset, end to end, against a stand-in of Strava's documented answers. */
describe('Strava preset (stand-in)', () => {
  let strava: StravaStandIn;
  let service: TestService;
  let connectorId: string;

  beforeAll(async () => {
    strava = await startStravaStandIn();
    const catalog = catalogWithStandIn('strava', {
      authorizationUrl: `${strava.baseUrl}/oauth/authorize`,
      tokenUrl: `${strava.baseUrl}/oauth/token`,
      apiBaseUrl: `${strava.baseUrl}/api/v3`,
    });
    service = await startTestService({ LATCHKEY_JOBS_ENABLED: 'false' }, undefined, { catalog });
    const created = await service.asAdmin({
      method: 'POST',
      url: '/api/connectors',
      body: {
        name: 'Strava',
        provider: 'strava',
        authMode: 'per-user',
        config: { clientId: strava.clientId, scope: 'read activity:read' },
        secrets: { clientSecret: strava.clientSecret },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    connectorId = created.json().id;
  });
  afterAll(async () => {
    await service.stop();
    await strava.close();
  });

  const requestsTo = (path: string) => strava.requests.filter((request) => request.path === path);
  const athlete = (user: UserSession) =>
    service.request({
      method: 'GET',
      url: `/api/connectors/${connectorId}/proxy/athlete`,
      cookie: user.cookie,
    });
  const fieldsOf = (body: string | undefined) => Object.fromEntries(new URLSearchParams(body));

  async function connectedUser(): Promise<UserSession> {
    const user = await service.sessionFor('viewer');
    const { response } = await connect(service, user.cookie, connectorId);
    expect(response.statusCode).toBeLessThan(400);
    expect(await statusOf(service, user.cookie, connectorId)).toBe('connected');
    return user;
  }

  it('asks for comma-separated scopes and sends the client in the body', async () => {
    const user = await connectedUser();
    expect(requestsTo('/oauth/authorize').at(-1)?.query).toMatchObject({
      client_id: strava.clientId,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'read,activity:read',
    });
    const token = requestsTo('/oauth/token').at(-1);
    expect(token?.headers.authorization).toBeUndefined();
    const fields = fieldsOf(token?.body);
    expect(fields).toMatchObject({
      grant_type: 'authorization_code',
      client_id: strava.clientId,
      client_secret: strava.clientSecret,
      redirect_uri: REDIRECT_URI,
    });
    expect(Object.keys(fields).sort()).toEqual(
      ['client_id', 'client_secret', 'code', 'code_verifier', 'grant_type', 'redirect_uri'].sort(),
    );
    const stored = await storedTokens(service, connectorId, user.userId);
    expect(strava.isLive(stored?.accessToken ?? '')).toBe(true);
    expect(stored?.refreshToken).toMatch(/^[0-9a-f]{36}$/);
    const connection = await service.deps.store.connections.find(connectorId, user.userId);
    expect(connection?.expiresAt).toBe(service.clock.now + SIX_HOURS_MS);
  });

  it('calls the API with the token as bearer', async () => {
    const user = await connectedUser();
    const answer = await athlete(user);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({ id: 134815, username: 'ada' });
    const stored = await storedTokens(service, connectorId, user.userId);
    expect(requestsTo('/api/v3/athlete').at(-1)?.headers.authorization).toBe(
      `Bearer ${stored?.accessToken}`,
    );
  });

  it('refreshes on a 401 and stores the rotated refresh token', async () => {
    const user = await connectedUser();
    const before = await storedTokens(service, connectorId, user.userId);
    strava.expireAccessTokens();
    const answer = await athlete(user);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(fieldsOf(requestsTo('/oauth/token').at(-1)?.body)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: before?.refreshToken,
      client_id: strava.clientId,
      client_secret: strava.clientSecret,
    });
    const after = await storedTokens(service, connectorId, user.userId);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(strava.isLive(after?.accessToken ?? '')).toBe(true);
  });

  it('asks the user to reconnect once the athlete revoked access at Strava', async () => {
    const user = await connectedUser();
    const stored = await storedTokens(service, connectorId, user.userId);
    const revoked = await fetch(`${strava.baseUrl}/oauth/deauthorize`, {
      method: 'POST',
      body: new URLSearchParams({ access_token: stored?.accessToken ?? '' }),
    });
    expect(revoked.status).toBe(200);
    await athlete(user);
    expect(await statusOf(service, user.cookie, connectorId)).toBe('reauth_required');
  });

  it('deauthorizes on disconnect, the access token in a form body', async () => {
    const user = await connectedUser();
    const stored = await storedTokens(service, connectorId, user.userId);
    const before = strava.requests.length;
    const answer = await service.request({
      method: 'POST',
      url: `/api/connectors/${connectorId}/_oauth_disconnect`,
      cookie: user.cookie,
      body: {},
    });
    expect(answer.statusCode).toBe(204);
    const sent = strava.requests.slice(before);
    expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /oauth/deauthorize',
    ]);
    expect(sent[0]?.query).toEqual({});
    expect(sent[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sent[0]?.headers.authorization).toBeUndefined();
    expect(fieldsOf(sent[0]?.body)).toEqual({ access_token: stored?.accessToken });
    expect(strava.isLive(stored?.accessToken ?? '')).toBe(false);
  });
});
