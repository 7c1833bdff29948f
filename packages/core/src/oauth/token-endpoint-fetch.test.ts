import type * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import type { StoredPerUserConfig } from '../connectors/connector-schema';
import { tokenEndpointFetchOf } from './token-endpoint-fetch';

const CONFIG: StoredPerUserConfig = {
  authorizationUrl: 'https://provider.example/authorize',
  tokenUrl: 'https://provider.example/token',
  clientId: 'client',
  apiBaseUrl: 'https://api.provider.example',
};

const FORM_REQUEST: oauth.CustomFetchOptions<string, unknown> = {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
  body: new URLSearchParams({ grant_type: 'authorization_code', code: 'c1', redirect_uri: 'r' }),
  redirect: 'manual',
};

/** A token endpoint answering `body`, recording what it was sent. */
function endpoint(body: string, init: ResponseInit = { status: 200 }) {
  const sent: { body?: unknown; headers?: Record<string, string> } = {};
  const send = async (_url: string, options: oauth.CustomFetchOptions<string, unknown>) => {
    sent.body = options.body;
    sent.headers = options.headers;
    return new Response(body, {
      ...init,
      headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
    });
  };
  return { send, sent };
}

describe('tokenEndpointFetchOf', () => {
  it('sends the same parameters as one JSON object to a provider that wants JSON', async () => {
    const { send, sent } = endpoint('{}');
    await tokenEndpointFetchOf(send, { ...CONFIG, tokenRequestBody: 'json' })('u', FORM_REQUEST);
    expect(sent.headers?.['content-type']).toBe('application/json');
    expect(JSON.parse(String(sent.body))).toEqual({
      grant_type: 'authorization_code',
      code: 'c1',
      redirect_uri: 'r',
    });
  });

  it('lifts a nested object that holds the tokens, keeps the rest, and fills the token type', async () => {
    const answer = JSON.stringify({
      ok: true,
      team: { id: 'T1' },
      authed_user: { access_token: 'xoxp', refresh_token: 'xoxe', expires_in: 60 },
    });
    const config = { ...CONFIG, tokenResponse: { path: 'authed_user', tokenType: 'bearer' } };
    const response = await tokenEndpointFetchOf(endpoint(answer).send, config)('u', FORM_REQUEST);
    expect(response.headers.get('content-length')).toBeNull();
    expect(await response.json()).toMatchObject({
      access_token: 'xoxp',
      refresh_token: 'xoxe',
      expires_in: 60,
      token_type: 'bearer',
      team: { id: 'T1' },
    });
  });

  it('leaves a nested object without an access token, and answers that are not JSON or not OK', async () => {
    const config = { ...CONFIG, tokenResponse: { path: 'authed_user' } };
    const topLevel = JSON.stringify({ access_token: 'top', authed_user: { id: 'U1' } });
    const lifted = await tokenEndpointFetchOf(endpoint(topLevel).send, config)('u', FORM_REQUEST);
    expect(await lifted.json()).toMatchObject({ access_token: 'top' });
    const form = await tokenEndpointFetchOf(endpoint('error=bad').send, config)('u', FORM_REQUEST);
    expect(await form.text()).toBe('error=bad');
    const failed = endpoint('{"error":"invalid_grant"}', { status: 400 });
    const refused = await tokenEndpointFetchOf(failed.send, config)('u', FORM_REQUEST);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'invalid_grant' });
  });
});
