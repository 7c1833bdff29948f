import { followAuthorization, type NotionStandIn, startNotionStandIn } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeNotionToken } from './notion';
import type { QuirkRevocation } from './provider-quirks';

const REDIRECT_URI = 'http://localhost:5601/api/connectors/_oauth_callback';
const API_HEADERS = { 'Notion-Version': '2025-09-03' };
let notion: NotionStandIn;

beforeAll(async () => {
  notion = await startNotionStandIn();
});
afterAll(() => notion.close());

async function accessToken(): Promise<string> {
  const url = new URL('/v1/oauth/authorize', notion.baseUrl);
  url.search = new URLSearchParams({
    client_id: notion.clientId,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    owner: 'user',
  }).toString();
  const { callbackUrl } = await followAuthorization(url.href);
  const basic = Buffer.from(`${notion.clientId}:${notion.clientSecret}`).toString('base64');
  const response = await fetch(`${notion.baseUrl}/v1/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'authorization_code',
      code: callbackUrl.searchParams.get('code'),
      redirect_uri: REDIRECT_URI,
    }),
  });
  return (await response.json()).access_token;
}

function revocation(token: string, overrides: Partial<QuirkRevocation> = {}): QuirkRevocation {
  return {
    fetch: (url, init) => fetch(url, init),
    token,
    tokenTypeHint: 'access_token',
    clientId: notion.clientId,
    clientSecret: notion.clientSecret,
    apiBaseUrl: `${notion.baseUrl}/v1`,
    apiHeaders: API_HEADERS,
    ...overrides,
  };
}

describe('revokeNotionToken', () => {
  it('posts the token as JSON with Basic and the entry headers to /v1/oauth/revoke', async () => {
    const token = await accessToken();
    const before = notion.requests.length;
    await revokeNotionToken(revocation(token));
    const sent = notion.requests.slice(before);
    expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /v1/oauth/revoke',
    ]);
    expect(sent[0]?.headers['notion-version']).toBe('2025-09-03');
    expect(JSON.parse(sent[0]?.body ?? '')).toEqual({ token });
    expect(notion.isLive(token)).toBe(false);
  });

  it('throws when Notion refuses, so the token stays queued', async () => {
    const token = await accessToken();
    await expect(revokeNotionToken(revocation(token, { apiHeaders: {} }))).rejects.toThrow(
      'Notion did not revoke the token: HTTP 400',
    );
    await expect(revokeNotionToken(revocation(token, { clientSecret: 'wrong' }))).rejects.toThrow(
      'HTTP 401',
    );
    expect(notion.isLive(token)).toBe(true);
  });
});
