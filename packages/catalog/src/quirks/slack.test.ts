import { followAuthorization, type SlackStandIn, startSlackStandIn } from '@latchkey/testing';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../load-catalog';
import type { QuirkRevocation } from './provider-quirks';
import { isSlackDeadTokenAnswer, revokeSlackToken, slackTokenResponse } from './slack';

const REDIRECT_URI = 'http://localhost:5601/api/connectors/_oauth_callback';
const as: oauth.AuthorizationServer = { issuer: 'https://slack.com' };
const client: oauth.Client = { client_id: 'slack' };
let slack: SlackStandIn;

beforeAll(async () => {
  slack = await startSlackStandIn({ tokenRotation: true });
});
afterAll(() => slack.close());

async function authorizationCode() {
  const url = new URL('/oauth/v2/authorize', slack.baseUrl);
  const query = {
    client_id: slack.clientId,
    redirect_uri: REDIRECT_URI,
    user_scope: 'users:read,channels:read',
  };
  url.search = new URLSearchParams({ ...query, state: 'xyz' }).toString();
  const { callbackUrl } = await followAuthorization(url.href);
  return callbackUrl.searchParams.get('code') ?? '';
}

function tokenRequest(fields: Record<string, string>, secret = slack.clientSecret) {
  return fetch(`${slack.baseUrl}/api/oauth.v2.access`, {
    method: 'POST',
    headers: {
      accept: 'application/json',
      authorization: `Basic ${Buffer.from(`${slack.clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(fields),
  });
}

/** The entry's data mapping, as core applies it before the module: `tokenResponse.path`. */
async function liftedByEntry(response: Response): Promise<Response> {
  const path = loadCatalog().find('slack')?.tokenResponse?.path ?? '';
  const body: Record<string, unknown> = await response.json();
  const tokens = body[path];
  const lifted = typeof tokens === 'object' && tokens !== null ? tokens : body;
  return new Response(JSON.stringify(lifted), {
    status: response.status,
    headers: response.headers,
  });
}

async function exchange(code: string) {
  const answer = await tokenRequest({
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
  });
  return slackTokenResponse(await liftedByEntry(answer));
}

async function refresh(refreshToken: string) {
  const answer = await tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken });
  return slackTokenResponse(await liftedByEntry(answer));
}

async function connect() {
  return oauth.processAuthorizationCodeResponse(
    as,
    client,
    await exchange(await authorizationCode()),
  );
}

async function rfcError(response: Response) {
  const error = await oauth
    .processRefreshTokenResponse(as, client, response)
    .catch((caught: unknown) => caught);
  if (!(error instanceof oauth.ResponseBodyError)) throw new Error(`not a §5.2 answer: ${error}`);
  return { status: error.status, error: error.error };
}

describe('slackTokenResponse', () => {
  it('presents the user token under authed_user as a bearer token, scopes space-delimited', async () => {
    const tokens = await connect();
    expect(tokens).toMatchObject({
      token_type: 'bearer',
      scope: 'users:read channels:read',
      expires_in: 43_200,
    });
    expect(tokens.access_token).toMatch(/^xoxe\.xoxp-/);
    expect(tokens.refresh_token).toMatch(/^xoxe-1-/);
  });

  it('reads a refresh answer, whose rotated tokens are at the top level', async () => {
    const first = await connect();
    const renewed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await refresh(String(first.refresh_token)),
    );
    expect(renewed).toMatchObject({ token_type: 'bearer', expires_in: 43_200 });
    expect(renewed.refresh_token).not.toBe(first.refresh_token);
    expect(slack.isLive(renewed.access_token)).toBe(true);
  });

  it('answers a dead code or refresh token with 400 invalid_grant', async () => {
    const code = await authorizationCode();
    await exchange(code);
    expect(await rfcError(await exchange(code))).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await rfcError(await refresh('xoxe-1-unknown'))).toEqual({
      status: 400,
      error: 'invalid_grant',
    });
  });

  it('answers wrong client credentials with 400 invalid_client', async () => {
    const code = await authorizationCode();
    const answer = await tokenRequest({ code, redirect_uri: REDIRECT_URI }, 'wrong');
    expect(await rfcError(await slackTokenResponse(answer))).toEqual({
      status: 400,
      error: 'invalid_client',
    });
  });

  it('maps an unknown grant type, and passes on a code RFC 6749 has no match for', async () => {
    const grantType = await slackTokenResponse(await tokenRequest({ grant_type: 'password' }));
    expect(await rfcError(grantType)).toEqual({ status: 400, error: 'unsupported_grant_type' });
    const code = await authorizationCode();
    const redirect = await tokenRequest({ code, redirect_uri: 'https://elsewhere.example/cb' });
    expect(await rfcError(await slackTokenResponse(redirect))).toEqual({
      status: 400,
      error: 'bad_redirect_uri',
    });
  });

  it('answers an outage with a 503, never as a refused grant', async () => {
    for (const error of ['ratelimited', 'internal_error']) {
      slack.failNextTokenRequest(error);
      const answer = await slackTokenResponse(
        await tokenRequest({ grant_type: 'refresh_token', refresh_token: 'x' }),
      );
      expect({ error, status: answer.status }).toEqual({ error, status: 503 });
    }
  });
});

describe('revokeSlackToken', () => {
  function revocation(token: string, overrides = {}): QuirkRevocation {
    return {
      fetch: (url, init) => fetch(url, init),
      token,
      tokenTypeHint: 'access_token',
      clientId: slack.clientId,
      clientSecret: slack.clientSecret,
      apiBaseUrl: `${slack.baseUrl}/api`,
      apiHeaders: {},
      ...overrides,
    };
  }

  it('calls auth.revoke with the access token as bearer, and nothing else', async () => {
    const { access_token } = await connect();
    const before = slack.requests.length;
    await revokeSlackToken(revocation(access_token));
    const sent = slack.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'POST', path: '/api/auth.revoke', body: '' });
    expect(sent[0]?.headers.authorization).toBe(`Bearer ${access_token}`);
    expect(slack.isLive(access_token)).toBe(false);
  });

  it('sends nothing for a refresh token: auth.revoke authenticates with an access token', async () => {
    const { refresh_token } = await connect();
    const before = slack.requests.length;
    await revokeSlackToken(revocation(String(refresh_token), { tokenTypeHint: 'refresh_token' }));
    expect(slack.requests.length).toBe(before);
  });

  it('resolves for a token Slack already revoked', async () => {
    const { access_token } = await connect();
    await revokeSlackToken(revocation(access_token));
    await expect(revokeSlackToken(revocation(access_token))).resolves.toBeUndefined();
  });

  it('throws when Slack answers ok: false, so the token stays queued', async () => {
    await expect(revokeSlackToken(revocation('xoxp-unknown'))).rejects.toThrow(
      'Slack did not revoke the token: invalid_auth',
    );
    const { access_token } = await connect();
    slack.expireAccessTokens();
    await expect(revokeSlackToken(revocation(access_token))).rejects.toThrow('token_expired');
    const notSlack = revocation(access_token, { apiBaseUrl: `${slack.baseUrl}/elsewhere` });
    await expect(revokeSlackToken(notSlack)).rejects.toThrow('Slack did not revoke the token');
  });
});

describe('isSlackDeadTokenAnswer', () => {
  async function authTest(token: string | undefined) {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const response = await fetch(`${slack.baseUrl}/api/auth.test`, { method: 'POST', headers });
    return { status: response.status, headers: response.headers, body: await response.text() };
  }

  it('is false for a working token and for errors that are not about the token', async () => {
    const { access_token } = await connect();
    expect(isSlackDeadTokenAnswer(await authTest(access_token))).toBe(false);
    expect(isSlackDeadTokenAnswer(await authTest(undefined))).toBe(false);
    const headers = new Headers();
    expect(isSlackDeadTokenAnswer({ status: 200, headers, body: 'not json' })).toBe(false);
    const notFound = JSON.stringify({ ok: false, error: 'channel_not_found' });
    expect(isSlackDeadTokenAnswer({ status: 200, headers, body: notFound })).toBe(false);
  });

  it('is true for a revoked, expired or unknown token, all answered with HTTP 200', async () => {
    const revoked = (await connect()).access_token;
    await revokeSlackToken({
      fetch: (url, init) => fetch(url, init),
      token: revoked,
      tokenTypeHint: 'access_token',
      clientId: slack.clientId,
      clientSecret: slack.clientSecret,
      apiBaseUrl: `${slack.baseUrl}/api`,
      apiHeaders: {},
    });
    const expired = (await connect()).access_token;
    slack.expireAccessTokens();
    for (const token of [revoked, expired, 'xoxp-unknown']) {
      const answer = await authTest(token);
      expect({ status: answer.status, dead: isSlackDeadTokenAnswer(answer) }).toEqual({
        status: 200,
        dead: true,
      });
    }
  });
});
