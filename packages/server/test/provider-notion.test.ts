import { type NotionStandIn, type StandInRequest, startNotionStandIn } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainBasic, tokenEndpointBasic } from './support/basic-credentials';
import { REDIRECT_URI, type UserSession } from './support/oauth-harness';
import { type StandInScene, startStandInScene } from './support/stand-in-scene';

const NOTION_VERSION = '2025-09-03';

/** The Notion preset, end to end, against a stand-in of Notion's documented answers. */
describe('Notion preset (stand-in)', () => {
  let notion: NotionStandIn;
  let scene: StandInScene;

  beforeAll(async () => {
    notion = await startNotionStandIn();
    scene = await startStandInScene(notion, {
      provider: 'notion',
      name: 'Notion',
      entry: {
        authorizationUrl: `${notion.baseUrl}/v1/oauth/authorize`,
        tokenUrl: `${notion.baseUrl}/v1/oauth/token`,
        apiBaseUrl: `${notion.baseUrl}/v1`,
      },
    });
  });
  afterAll(() => scene.stop());

  const tokenBasic = () => tokenEndpointBasic(notion.clientId, notion.clientSecret);
  const jsonOf = (request: StandInRequest | undefined): unknown => JSON.parse(request?.body ?? '');
  const me = (user: UserSession) => scene.proxied(user, 'users/me');

  it('connects with Basic client authentication and a JSON token request', async () => {
    const user = await scene.connectedUser();
    const authorize = scene.requestsTo('/v1/oauth/authorize').at(-1);
    expect(authorize?.query).toMatchObject({
      client_id: notion.clientId,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      owner: 'user',
    });
    const token = scene.requestsTo('/v1/oauth/token').at(-1);
    expect(token?.headers.authorization).toBe(tokenBasic());
    expect(token?.headers['content-type']).toBe('application/json');
    expect(jsonOf(token)).toEqual({
      grant_type: 'authorization_code',
      code: expect.any(String),
      redirect_uri: REDIRECT_URI,
      code_verifier: expect.stringMatching(/^[\w-]{43,128}$/),
    });
    const stored = await scene.tokensOf(user);
    expect(stored?.accessToken).toMatch(/^ntn_/);
    expect(stored?.refreshToken).toMatch(/^nrt_/);
    // Notion's documented answer has no expires_in; the entry keeps nothing from it.
    expect(await scene.connectionOf(user)).toMatchObject({
      expiresAt: null,
      metadata: null,
    });
  });

  it('calls the API with the token as bearer and the Notion-Version header', async () => {
    const user = await scene.connectedUser();
    const answer = await me(user);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({ object: 'user', type: 'bot' });
    const stored = await scene.tokensOf(user);
    expect(scene.requestsTo('/v1/users/me').at(-1)?.headers).toMatchObject({
      authorization: `Bearer ${stored?.accessToken}`,
      'notion-version': NOTION_VERSION,
    });
  });

  it('refreshes on a 401 with a JSON body, storing the rotated refresh token', async () => {
    const user = await scene.connectedUser();
    const before = await scene.tokensOf(user);
    notion.expireAccessTokens();
    const answer = await me(user);
    expect(answer.statusCode, answer.body).toBe(200);
    const refresh = scene.requestsTo('/v1/oauth/token').at(-1);
    expect(refresh?.headers.authorization).toBe(tokenBasic());
    expect(refresh?.headers['content-type']).toBe('application/json');
    expect(jsonOf(refresh)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: before?.refreshToken,
    });
    const after = await scene.tokensOf(user);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(notion.isLive(after?.refreshToken ?? '')).toBe(true);
    expect(notion.isLive(after?.accessToken ?? '')).toBe(true);
  });

  it('asks the user to reconnect when Notion refuses the refresh token', async () => {
    const user = await scene.connectedUser();
    const stored = await scene.tokensOf(user);
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
    expect(await scene.statusOf(user)).toBe('reauth_required');
  });

  it('revokes each token on disconnect: Basic, Notion-Version, a JSON body', async () => {
    const user = await scene.connectedUser();
    const stored = await scene.tokensOf(user);
    const before = notion.requests.length;
    const answer = await scene.disconnect(user);
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
