import { type GitHubStandIn, startGitHubStandIn } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIRECT_URI } from './support/oauth-harness';
import { type StandInScene, startStandInScene } from './support/stand-in-scene';

const EIGHT_HOURS_MS = 8 * 3600 * 1000;

/** The GitHub preset, end to end, against a stand-in of GitHub's documented answers. */
describe('GitHub preset (stand-in)', () => {
  let github: GitHubStandIn;
  let scene: StandInScene;

  beforeAll(async () => {
    github = await startGitHubStandIn({ expiringTokens: true });
    scene = await startStandInScene(github, {
      provider: 'github',
      name: 'GitHub',
      entry: {
        authorizationUrl: `${github.baseUrl}/login/oauth/authorize`,
        tokenUrl: `${github.baseUrl}/login/oauth/access_token`,
        apiBaseUrl: github.baseUrl,
        // Not GitHub's: a refresh-only parameter, to see it reach refreshes and nothing else.
        refreshParams: { refresh_hint: 'latchkey' },
      },
    });
  });
  afterAll(() => scene.stop());

  it('connects: default scope, PKCE, and the client secret in the token request body', async () => {
    await scene.connectedUser();
    const authorize = scene.requestsTo('/login/oauth/authorize').at(-1);
    expect(authorize?.query).toMatchObject({
      client_id: github.clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'read:user',
      code_challenge_method: 'S256',
    });
    const token = scene.requestsTo('/login/oauth/access_token').at(-1);
    expect(token?.headers.authorization).toBeUndefined();
    expect(token?.headers.accept).toContain('application/json');
    const fields = Object.fromEntries(new URLSearchParams(token?.body));
    expect(fields).toMatchObject({
      grant_type: 'authorization_code',
      client_id: github.clientId,
      client_secret: github.clientSecret,
      redirect_uri: REDIRECT_URI,
    });
    expect(fields.code_verifier).toMatch(/^[\w-]{43,128}$/);
  });

  it('calls the API with the token as bearer and the entry headers', async () => {
    const user = await scene.connectedUser();
    const answer = await scene.proxied(user, 'user');
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({ login: 'octocat' });
    expect(scene.requestsTo('/user').at(-1)?.headers).toMatchObject({
      authorization: expect.stringMatching(/^Bearer ghu_/),
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
    });
    // The entry's User-Agent is a default: the caller's own (here the test client's) wins.
    expect(scene.requestsTo('/user').at(-1)?.headers['user-agent']).toBe('lightMyRequest');
  });

  it('refreshes an expired GitHub App user token before calling', async () => {
    const user = await scene.connectedUser();
    const refreshesBefore = refreshRequests().length;
    github.expireAccessTokens();
    scene.service.clock.now += EIGHT_HOURS_MS;
    const answer = await scene.proxied(user, 'user');
    expect(answer.statusCode, answer.body).toBe(200);
    expect(refreshRequests().length).toBe(refreshesBefore + 1);
    const form = (body: string | undefined) => new URLSearchParams(body);
    expect(form(refreshRequests().at(-1)?.body).get('refresh_hint')).toBe('latchkey');
    const exchange = scene
      .requestsTo('/login/oauth/access_token')
      .find((request) => request.body.includes('grant_type=authorization_code'));
    expect(form(exchange?.body).has('refresh_hint')).toBe(false);
    // GitHub App user tokens live 8 hours: the stored expiry says so.
    const connection = await scene.connectionOf(user);
    expect(connection?.expiresAt).toBe(scene.service.clock.now + EIGHT_HOURS_MS);
  });

  it('asks the user to reconnect when GitHub refuses the refresh token (HTTP 200)', async () => {
    const user = await scene.connectedUser();
    // The user revokes the app in GitHub's settings: every token of the grant goes.
    github.deleteAllGrants();
    scene.service.clock.now += EIGHT_HOURS_MS;
    await scene.proxied(user, 'user');
    expect(await scene.statusOf(user)).toBe('reauth_required');
  });

  it('deletes the grant at GitHub on disconnect, with Basic client authentication', async () => {
    const user = await scene.connectedUser();
    const before = github.requests.length;
    const answer = await scene.disconnect(user);
    expect(answer.statusCode).toBe(204);
    const sent = github.requests.slice(before);
    expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual([
      `DELETE /applications/${github.clientId}/grant`,
    ]);
    const basic = Buffer.from(`${github.clientId}:${github.clientSecret}`).toString('base64');
    expect(sent[0]?.headers.authorization).toBe(`Basic ${basic}`);
    expect(github.isLive(JSON.parse(sent[0]?.body ?? '{}').access_token)).toBe(false);
  });

  function refreshRequests() {
    return scene
      .requestsTo('/login/oauth/access_token')
      .filter((request) => request.body.includes('grant_type=refresh_token'));
  }
});
