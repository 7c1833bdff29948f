import { type DropboxStandIn, startDropboxStandIn } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenEndpointBasic } from './support/basic-credentials';
import { REDIRECT_URI, type UserSession } from './support/oauth-harness';
import { type StandInScene, startStandInScene } from './support/stand-in-scene';

const FOUR_HOURS_MS = 14_400 * 1000;

/** The Dropbox preset, end to end, against a stand-in of Dropbox's documented answers. */
describe('Dropbox preset (stand-in)', () => {
  let dropbox: DropboxStandIn;
  let scene: StandInScene;

  beforeAll(async () => {
    dropbox = await startDropboxStandIn();
    scene = await startStandInScene(dropbox, {
      provider: 'dropbox',
      name: 'Dropbox',
      entry: {
        authorizationUrl: `${dropbox.baseUrl}/oauth2/authorize`,
        tokenUrl: `${dropbox.baseUrl}/oauth2/token`,
        apiBaseUrl: `${dropbox.baseUrl}/2`,
      },
    });
  });
  afterAll(() => scene.stop());

  const basic = () => tokenEndpointBasic(dropbox.clientId, dropbox.clientSecret);
  const currentAccount = (user: UserSession) =>
    scene.proxied(user, 'users/get_current_account', 'POST');

  it('asks for offline access, authenticates with Basic, and stores both tokens', async () => {
    const user = await scene.connectedUser();
    expect(scene.requestsTo('/oauth2/authorize').at(-1)?.query).toMatchObject({
      client_id: dropbox.clientId,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'account_info.read',
      token_access_type: 'offline',
      code_challenge_method: 'S256',
    });
    const token = scene.requestsTo('/oauth2/token').at(-1);
    expect(token?.headers.authorization).toBe(basic());
    expect(token?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    const fields = Object.fromEntries(new URLSearchParams(token?.body));
    expect(Object.keys(fields).sort()).toEqual(
      ['code', 'code_verifier', 'grant_type', 'redirect_uri'].sort(),
    );
    expect(fields).toMatchObject({ grant_type: 'authorization_code', redirect_uri: REDIRECT_URI });
    const stored = await scene.tokensOf(user);
    expect(stored?.accessToken).toMatch(/^sl\.u\./);
    expect(stored?.refreshToken).toMatch(/^[0-9a-f]{36}$/);
    expect((await scene.connectionOf(user))?.expiresAt).toBe(
      scene.service.clock.now + FOUR_HOURS_MS,
    );
  });

  it('calls an RPC endpoint with the token as bearer', async () => {
    const user = await scene.connectedUser();
    const answer = await currentAccount(user);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({ account_id: 'dbid:STANDIN' });
    const stored = await scene.tokensOf(user);
    expect(scene.requestsTo('/2/users/get_current_account').at(-1)?.headers.authorization).toBe(
      `Bearer ${stored?.accessToken}`,
    );
  });

  it('refreshes on expired_access_token, with Basic, keeping the refresh token', async () => {
    const user = await scene.connectedUser();
    const before = await scene.tokensOf(user);
    dropbox.expireAccessTokens();
    const answer = await currentAccount(user);
    expect(answer.statusCode, answer.body).toBe(200);
    const refresh = scene.requestsTo('/oauth2/token').at(-1);
    expect(refresh?.headers.authorization).toBe(basic());
    expect(Object.fromEntries(new URLSearchParams(refresh?.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: before?.refreshToken,
    });
    const after = await scene.tokensOf(user);
    expect(after?.refreshToken).toBe(before?.refreshToken);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(dropbox.isLive(after?.accessToken ?? '')).toBe(true);
  });

  it('asks the user to reconnect once the app is unlinked at Dropbox', async () => {
    const user = await scene.connectedUser();
    const stored = await scene.tokensOf(user);
    // The user unlinks the app: the grant's tokens all go, the refresh token with them.
    const unlinked = await fetch(`${dropbox.baseUrl}/2/auth/token/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stored?.accessToken}` },
    });
    expect(unlinked.status).toBe(200);
    await currentAccount(user);
    expect(await scene.statusOf(user)).toBe('reauth_required');
  });

  it('revokes through auth/token/revoke on disconnect: one bodiless call', async () => {
    const user = await scene.connectedUser();
    const stored = await scene.tokensOf(user);
    const before = dropbox.requests.length;
    const answer = await scene.disconnect(user);
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
