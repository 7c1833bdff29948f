import { followAuthorization, type StravaStandIn, startStravaStandIn } from '@latchkey/testing';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuirkRevocation } from './provider-quirks';
import { deauthorizeStrava, stravaTokenResponse } from './strava';

const REDIRECT_URI = 'http://localhost:5601/api/connectors/_oauth_callback';
const as: oauth.AuthorizationServer = { issuer: 'https://www.strava.com' };
const client: oauth.Client = { client_id: 'strava' };
let strava: StravaStandIn;

beforeAll(async () => {
  strava = await startStravaStandIn();
});
afterAll(() => strava.close());

async function authorizationCode() {
  const url = new URL('/oauth/authorize', strava.baseUrl);
  url.search = new URLSearchParams({
    client_id: strava.clientId,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: 'read,activity:read',
  }).toString();
  const { callbackUrl } = await followAuthorization(url.href);
  return callbackUrl.searchParams.get('code') ?? '';
}

function tokenRequest(fields: Record<string, string>, secret = strava.clientSecret) {
  return fetch(`${strava.baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { accept: 'application/json' },
    body: new URLSearchParams({ client_id: strava.clientId, client_secret: secret, ...fields }),
  });
}

async function connect() {
  const code = await authorizationCode();
  const answer = await tokenRequest({ grant_type: 'authorization_code', code });
  return oauth.processAuthorizationCodeResponse(as, client, await stravaTokenResponse(answer));
}

async function rfcError(response: Response) {
  const error = await oauth
    .processRefreshTokenResponse(as, client, response)
    .catch((caught: unknown) => caught);
  if (!(error instanceof oauth.ResponseBodyError)) throw new Error(`not a §5.2 answer: ${error}`);
  return { status: error.status, error: error.error };
}

describe('stravaTokenResponse', () => {
  it('leaves a success as Strava sent it', async () => {
    const tokens = await connect();
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 21_600 });
    expect(tokens.athlete).toMatchObject({ username: 'ada' });
  });

  it('answers a used code or refresh token with invalid_grant', async () => {
    const code = await authorizationCode();
    await tokenRequest({ grant_type: 'authorization_code', code });
    const reused = await tokenRequest({ grant_type: 'authorization_code', code });
    expect(await rfcError(await stravaTokenResponse(reused))).toEqual({
      status: 400,
      error: 'invalid_grant',
    });
    const refresh = await tokenRequest({ grant_type: 'refresh_token', refresh_token: 'unknown' });
    expect(await rfcError(await stravaTokenResponse(refresh))).toEqual({
      status: 400,
      error: 'invalid_grant',
    });
  });

  it('answers wrong client credentials with invalid_client, keeping its 401', async () => {
    const code = await authorizationCode();
    const answer = await tokenRequest({ grant_type: 'authorization_code', code }, 'wrong');
    expect(await rfcError(await stravaTokenResponse(answer))).toEqual({
      status: 401,
      error: 'invalid_client',
    });
  });
});

describe('deauthorizeStrava', () => {
  function revocation(token: string, overrides: Partial<QuirkRevocation> = {}): QuirkRevocation {
    return {
      fetch: (url, init) => fetch(url, init),
      token,
      tokenTypeHint: 'access_token',
      clientId: strava.clientId,
      clientSecret: strava.clientSecret,
      apiBaseUrl: `${strava.baseUrl}/api/v3`,
      apiHeaders: {},
      ...overrides,
    };
  }

  it('posts the access token in the body to /oauth/deauthorize on the API host', async () => {
    const tokens = await connect();
    const before = strava.requests.length;
    await deauthorizeStrava(revocation(tokens.access_token));
    const sent = strava.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'POST', path: '/oauth/deauthorize', query: {} });
    expect(Object.fromEntries(new URLSearchParams(sent[0]?.body))).toEqual({
      access_token: tokens.access_token,
    });
    expect(strava.isLive(tokens.access_token)).toBe(false);
    const refresh = { grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) };
    expect(await rfcError(await stravaTokenResponse(await tokenRequest(refresh)))).toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('sends nothing for a refresh token', async () => {
    const tokens = await connect();
    const before = strava.requests.length;
    const hint: Partial<QuirkRevocation> = { tokenTypeHint: 'refresh_token' };
    await deauthorizeStrava(revocation(String(tokens.refresh_token), hint));
    expect(strava.requests.length).toBe(before);
  });

  it('throws when Strava refuses, so the token stays queued', async () => {
    const tokens = await connect();
    strava.expireAccessTokens();
    await expect(deauthorizeStrava(revocation(tokens.access_token))).rejects.toThrow(
      'Strava kept the authorization: HTTP 401',
    );
  });
});
