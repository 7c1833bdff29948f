import { followAuthorization, type GitHubStandIn, startGitHubStandIn } from '@latchkey/testing';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteGitHubGrant, githubTokenResponse } from './github';
import type { QuirkRevocation } from './provider-quirks';

const REDIRECT_URI = 'http://localhost:5601/api/connectors/_oauth_callback';
const as: oauth.AuthorizationServer = { issuer: 'https://github.com' };
let github: GitHubStandIn;
let githubApp: GitHubStandIn;

beforeAll(async () => {
  github = await startGitHubStandIn();
  githubApp = await startGitHubStandIn({ expiringTokens: true });
});
afterAll(async () => {
  await github.close();
  await githubApp.close();
});

async function authorizationCode(standIn: GitHubStandIn, scope = 'read:user repo') {
  const url = new URL('/login/oauth/authorize', standIn.baseUrl);
  url.search = new URLSearchParams({
    client_id: standIn.clientId,
    redirect_uri: REDIRECT_URI,
    scope,
    state: 'xyz',
  }).toString();
  const { callbackUrl } = await followAuthorization(url.href);
  return callbackUrl.searchParams.get('code') ?? '';
}

/** A token request as oauth4webapi sends it: form body, `Accept: application/json`. */
function tokenRequest(
  standIn: GitHubStandIn,
  fields: Record<string, string>,
  accept = 'application/json',
) {
  return fetch(`${standIn.baseUrl}/login/oauth/access_token`, {
    method: 'POST',
    headers: { accept, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: standIn.clientId,
      client_secret: standIn.clientSecret,
      ...fields,
    }),
  });
}

async function exchange(standIn: GitHubStandIn, code: string, accept?: string) {
  const fields = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI };
  return githubTokenResponse(await tokenRequest(standIn, fields, accept));
}

function processed(response: Response) {
  return oauth.processAuthorizationCodeResponse(as, { client_id: github.clientId }, response);
}

/** The RFC 6749 §5.2 error oauth4webapi reads from an answer, with its status. */
async function rfcError(response: Response) {
  const error = await processed(response).catch((caught: unknown) => caught);
  if (!(error instanceof oauth.ResponseBodyError)) throw new Error(`not a §5.2 answer: ${error}`);
  return { status: error.status, error: error.error };
}

describe('githubTokenResponse', () => {
  it('gives a JSON success its scopes space-delimited (RFC 6749 §3.3)', async () => {
    const tokens = await processed(await exchange(github, await authorizationCode(github)));
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'read:user repo' });
    expect(tokens.access_token).toMatch(/^gho_/);
  });

  it('turns a form-encoded success into JSON, lifetimes as numbers', async () => {
    const code = await authorizationCode(githubApp);
    const raw = await tokenRequest(githubApp, { code, redirect_uri: REDIRECT_URI }, '*/*');
    expect(raw.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    const tokens = await processed(await githubTokenResponse(raw));
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 28_800 });
    expect(tokens.refresh_token_expires_in).toBe(15_897_600);
    expect(tokens.refresh_token).toMatch(/^ghr_/);
  });

  it('answers a used or unknown code with 400 invalid_grant, in JSON or form', async () => {
    const code = await authorizationCode(github);
    await processed(await exchange(github, code));
    expect(await rfcError(await exchange(github, code))).toEqual({
      status: 400,
      error: 'invalid_grant',
    });
    const formAnswer = await exchange(github, 'unknown', 'text/html');
    expect(await rfcError(formAnswer)).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('answers wrong client credentials with 400 invalid_client', async () => {
    const code = await authorizationCode(github);
    const fields = { code, client_secret: 'wrong' };
    const answer = await githubTokenResponse(await tokenRequest(github, fields));
    expect(await rfcError(answer)).toEqual({ status: 400, error: 'invalid_client' });
  });

  it('passes on a code RFC 6749 has no match for, as a 400', async () => {
    const code = await authorizationCode(github);
    const fields = { code, redirect_uri: 'https://elsewhere.example/callback' };
    const answer = await githubTokenResponse(await tokenRequest(github, fields));
    expect(await rfcError(answer)).toEqual({ status: 400, error: 'redirect_uri_mismatch' });
  });

  it('refreshes a GitHub App user token, and answers a used refresh token invalid_grant', async () => {
    const first = await processed(await exchange(githubApp, await authorizationCode(githubApp)));
    const refresh = { grant_type: 'refresh_token', refresh_token: String(first.refresh_token) };
    const client = { client_id: githubApp.clientId };
    const renewed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await githubTokenResponse(await tokenRequest(githubApp, refresh)),
    );
    expect(renewed.refresh_token).not.toBe(first.refresh_token);
    const reused = await githubTokenResponse(await tokenRequest(githubApp, refresh));
    expect(await rfcError(reused)).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('leaves an answer that is not a token answer as it was', async () => {
    const answer = await githubTokenResponse(await fetch(`${github.baseUrl}/nowhere`));
    expect(answer.status).toBe(404);
    expect(await answer.json()).toMatchObject({ message: 'Not Found' });
  });
});

describe('deleteGitHubGrant', () => {
  async function accessToken(standIn: GitHubStandIn) {
    const tokens = await processed(await exchange(standIn, await authorizationCode(standIn)));
    return tokens.access_token;
  }

  function revocation(standIn: GitHubStandIn, token: string, overrides = {}): QuirkRevocation {
    return {
      fetch: (url, init) => fetch(url, init),
      token,
      tokenTypeHint: 'access_token',
      clientId: standIn.clientId,
      clientSecret: standIn.clientSecret,
      apiBaseUrl: standIn.baseUrl,
      apiHeaders: {},
      ...overrides,
    };
  }

  it('sends the documented DELETE with Basic client auth and the token in JSON', async () => {
    const token = await accessToken(github);
    const before = github.requests.length;
    await deleteGitHubGrant(revocation(github, token));
    const sent = github.requests.slice(before);
    expect(sent).toHaveLength(1);
    const basic = Buffer.from(`${github.clientId}:${github.clientSecret}`).toString('base64');
    expect(sent[0]).toMatchObject({
      method: 'DELETE',
      path: `/applications/${github.clientId}/grant`,
      headers: {
        authorization: `Basic ${basic}`,
        accept: 'application/vnd.github+json',
        'content-type': 'application/json',
        'x-github-api-version': '2022-11-28',
      },
    });
    expect(JSON.parse(sent[0]?.body ?? '')).toEqual({ access_token: token });
    expect(github.isLive(token)).toBe(false);
  });

  it('deletes the grant through the rendered API base of GitHub Enterprise Server', async () => {
    const token = await accessToken(github);
    const before = github.requests.length;
    await deleteGitHubGrant(revocation(github, token, { apiBaseUrl: `${github.baseUrl}/api/v3` }));
    expect(github.requests[before]?.path).toBe(`/api/v3/applications/${github.clientId}/grant`);
    expect(github.isLive(token)).toBe(false);
  });

  it('ends the refresh tokens with the grant, and sends nothing for a refresh token', async () => {
    const tokens = await processed(await exchange(githubApp, await authorizationCode(githubApp)));
    const before = githubApp.requests.length;
    const refreshToken = String(tokens.refresh_token);
    const hint = { tokenTypeHint: 'refresh_token' };
    await deleteGitHubGrant(revocation(githubApp, refreshToken, hint));
    expect(githubApp.requests.length).toBe(before);
    await deleteGitHubGrant(revocation(githubApp, tokens.access_token));
    const refresh = { grant_type: 'refresh_token', refresh_token: refreshToken };
    const answer = await githubTokenResponse(await tokenRequest(githubApp, refresh));
    expect(await rfcError(answer)).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('throws when GitHub keeps the grant, so the token stays queued', async () => {
    const token = await accessToken(github);
    const wrongSecret = revocation(github, token, { clientSecret: 'wrong' });
    await expect(deleteGitHubGrant(wrongSecret)).rejects.toThrow('GitHub kept the grant: HTTP 404');
    expect(github.isLive(token)).toBe(true);
    const missingToken = revocation(github, '');
    await expect(deleteGitHubGrant(missingToken)).rejects.toThrow('HTTP 422');
  });
});
