import { type StravaStandIn, startStravaStandIn } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIRECT_URI, type UserSession } from './support/oauth-harness';
import { type StandInScene, startStandInScene } from './support/stand-in-scene';

const SIX_HOURS_MS = 21_600 * 1000;

/** The Strava preset, end to end, against a stand-in of Strava's documented answers. */
describe('Strava preset (stand-in)', () => {
  let strava: StravaStandIn;
  let scene: StandInScene;

  beforeAll(async () => {
    strava = await startStravaStandIn();
    scene = await startStandInScene(strava, {
      provider: 'strava',
      name: 'Strava',
      entry: {
        authorizationUrl: `${strava.baseUrl}/oauth/authorize`,
        tokenUrl: `${strava.baseUrl}/oauth/token`,
        apiBaseUrl: `${strava.baseUrl}/api/v3`,
      },
      config: { scope: 'read activity:read' },
    });
  });
  afterAll(() => scene.stop());

  const athlete = (user: UserSession) => scene.proxied(user, 'athlete');
  const fieldsOf = (body: string | undefined) => Object.fromEntries(new URLSearchParams(body));

  it('asks for comma-separated scopes and sends the client in the body', async () => {
    const user = await scene.connectedUser();
    expect(scene.requestsTo('/oauth/authorize').at(-1)?.query).toMatchObject({
      client_id: strava.clientId,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'read,activity:read',
    });
    const token = scene.requestsTo('/oauth/token').at(-1);
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
    const stored = await scene.tokensOf(user);
    expect(strava.isLive(stored?.accessToken ?? '')).toBe(true);
    expect(stored?.refreshToken).toMatch(/^[0-9a-f]{36}$/);
    const connection = await scene.connectionOf(user);
    expect(connection?.expiresAt).toBe(scene.service.clock.now + SIX_HOURS_MS);
  });

  it('calls the API with the token as bearer', async () => {
    const user = await scene.connectedUser();
    const answer = await athlete(user);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({ id: 134815, username: 'ada' });
    const stored = await scene.tokensOf(user);
    expect(scene.requestsTo('/api/v3/athlete').at(-1)?.headers.authorization).toBe(
      `Bearer ${stored?.accessToken}`,
    );
  });

  it('refreshes on a 401 and stores the rotated refresh token', async () => {
    const user = await scene.connectedUser();
    const before = await scene.tokensOf(user);
    strava.expireAccessTokens();
    const answer = await athlete(user);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(fieldsOf(scene.requestsTo('/oauth/token').at(-1)?.body)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: before?.refreshToken,
      client_id: strava.clientId,
      client_secret: strava.clientSecret,
    });
    const after = await scene.tokensOf(user);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(strava.isLive(after?.accessToken ?? '')).toBe(true);
  });

  it('asks the user to reconnect once the athlete revoked access at Strava', async () => {
    const user = await scene.connectedUser();
    const stored = await scene.tokensOf(user);
    const revoked = await fetch(`${strava.baseUrl}/oauth/deauthorize`, {
      method: 'POST',
      body: new URLSearchParams({ access_token: stored?.accessToken ?? '' }),
    });
    expect(revoked.status).toBe(200);
    await athlete(user);
    expect(await scene.statusOf(user)).toBe('reauth_required');
  });

  it('deauthorizes on disconnect, the access token in a form body', async () => {
    const user = await scene.connectedUser();
    const stored = await scene.tokensOf(user);
    const before = strava.requests.length;
    const answer = await scene.disconnect(user);
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
