import { type DropboxStandIn, followAuthorization, startDropboxStandIn } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeDropboxToken } from './dropbox';
import type { QuirkRevocation } from './provider-quirks';

const REDIRECT_URI = 'http://localhost:5601/api/connectors/_oauth_callback';
let dropbox: DropboxStandIn;

beforeAll(async () => {
  dropbox = await startDropboxStandIn();
});
afterAll(() => dropbox.close());

/** A connection's tokens, through the stand-in's authorization and token endpoints. */
async function connect(): Promise<{ access_token: string; refresh_token: string }> {
  const url = new URL('/oauth2/authorize', dropbox.baseUrl);
  url.search = new URLSearchParams({
    client_id: dropbox.clientId,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    token_access_type: 'offline',
  }).toString();
  const { callbackUrl } = await followAuthorization(url.href);
  const response = await fetch(`${dropbox.baseUrl}/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: callbackUrl.searchParams.get('code') ?? '',
      redirect_uri: REDIRECT_URI,
      client_id: dropbox.clientId,
      client_secret: dropbox.clientSecret,
    }),
  });
  return response.json();
}

function revocation(token: string, overrides: Partial<QuirkRevocation> = {}): QuirkRevocation {
  return {
    fetch: (url, init) => fetch(url, init),
    token,
    tokenTypeHint: 'access_token',
    clientId: dropbox.clientId,
    clientSecret: dropbox.clientSecret,
    apiBaseUrl: `${dropbox.baseUrl}/2`,
    apiHeaders: {},
    ...overrides,
  };
}

async function refreshWith(refreshToken: string) {
  const response = await fetch(`${dropbox.baseUrl}/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: dropbox.clientId,
      client_secret: dropbox.clientSecret,
    }),
  });
  return { status: response.status, body: await response.json() };
}

describe('revokeDropboxToken', () => {
  it('calls auth/token/revoke with the access token as bearer and no body', async () => {
    const tokens = await connect();
    const before = dropbox.requests.length;
    await revokeDropboxToken(revocation(tokens.access_token));
    const sent = dropbox.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'POST', path: '/2/auth/token/revoke', body: '' });
    expect(sent[0]?.headers.authorization).toBe(`Bearer ${tokens.access_token}`);
    expect(sent[0]?.headers['content-type']).toBeUndefined();
    expect(dropbox.isLive(tokens.access_token)).toBe(false);
    expect(await refreshWith(tokens.refresh_token)).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
  });

  it('sends nothing for a refresh token, which the access token revokes with it', async () => {
    const tokens = await connect();
    const before = dropbox.requests.length;
    await revokeDropboxToken(revocation(tokens.refresh_token, { tokenTypeHint: 'refresh_token' }));
    expect(dropbox.requests.length).toBe(before);
    expect((await refreshWith(tokens.refresh_token)).status).toBe(200);
  });

  it('resolves for a token Dropbox no longer knows', async () => {
    const tokens = await connect();
    await revokeDropboxToken(revocation(tokens.access_token));
    await expect(revokeDropboxToken(revocation(tokens.access_token))).resolves.toBeUndefined();
  });

  it('throws for an expired access token, whose refresh token lives on', async () => {
    const tokens = await connect();
    dropbox.expireAccessTokens();
    await expect(revokeDropboxToken(revocation(tokens.access_token))).rejects.toThrow(
      'Dropbox did not revoke the token: HTTP 401 expired_access_token',
    );
    expect((await refreshWith(tokens.refresh_token)).status).toBe(200);
    const elsewhere = revocation(tokens.access_token, { apiBaseUrl: `${dropbox.baseUrl}/1` });
    await expect(revokeDropboxToken(elsewhere)).rejects.toThrow('HTTP 404');
  });
});
