import { type GitHubStandIn, startGitHubStandIn } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, REDIRECT_URI, statusOf, type UserSession } from './support/oauth-harness';
import { catalogWithStandIn } from './support/stand-in-catalog';
import { startTestService, type TestService } from './support/test-service';

const EIGHT_HOURS_MS = 8 * 3600 * 1000;

/** The GitHub preset, end to end, against a stand-in of GitHub's documented answers. */
describe('GitHub preset (stand-in)', () => {
  let github: GitHubStandIn;
  let service: TestService;
  let connectorId: string;

  beforeAll(async () => {
    github = await startGitHubStandIn({ expiringTokens: true });
    const catalog = catalogWithStandIn('github', {
      authorizationUrl: `${github.baseUrl}/login/oauth/authorize`,
      tokenUrl: `${github.baseUrl}/login/oauth/access_token`,
      apiBaseUrl: github.baseUrl,
      // Not GitHub's: a refresh-only parameter, to see it reach refreshes and nothing else.
      refreshParams: { refresh_hint: 'latchkey' },
    });
    // Tests move the clock by hours; sessions must outlive that.
    const env = {
      LATCHKEY_JOBS_ENABLED: 'false',
      LATCHKEY_SESSION_TTL_SECONDS: String(30 * 86400),
    };
    service = await startTestService(env, undefined, { catalog });
    const created = await service.asAdmin({
      method: 'POST',
      url: '/api/connectors',
      body: {
        name: 'GitHub',
        provider: 'github',
        authMode: 'per-user',
        config: { clientId: github.clientId },
        secrets: { clientSecret: github.clientSecret },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    connectorId = created.json().id;
  });
  afterAll(async () => {
    await service.stop();
    await github.close();
  });

  const requestsTo = (path: string) => github.requests.filter((request) => request.path === path);
  const proxied = (user: UserSession, path: string) =>
    service.request({
      method: 'GET',
      url: `/api/connectors/${connectorId}/proxy/${path}`,
      cookie: user.cookie,
    });

  async function connectedUser(): Promise<UserSession> {
    const user = await service.sessionFor('viewer');
    const { response } = await connect(service, user.cookie, connectorId);
    expect(response.statusCode).toBeLessThan(400);
    expect(await statusOf(service, user.cookie, connectorId)).toBe('connected');
    return user;
  }

  it('connects: default scope, PKCE, and the client secret in the token request body', async () => {
    await connectedUser();
    const authorize = requestsTo('/login/oauth/authorize').at(-1);
    expect(authorize?.query).toMatchObject({
      client_id: github.clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'read:user',
      code_challenge_method: 'S256',
    });
    const token = requestsTo('/login/oauth/access_token').at(-1);
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
    const user = await connectedUser();
    const answer = await proxied(user, 'user');
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({ login: 'octocat' });
    expect(requestsTo('/user').at(-1)?.headers).toMatchObject({
      authorization: expect.stringMatching(/^Bearer ghu_/),
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
    });
    // The entry's User-Agent is a default: the caller's own (here the test client's) wins.
    expect(requestsTo('/user').at(-1)?.headers['user-agent']).toBe('lightMyRequest');
  });

  it('refreshes an expired GitHub App user token before calling', async () => {
    const user = await connectedUser();
    const refreshesBefore = refreshRequests().length;
    github.expireAccessTokens();
    service.clock.now += EIGHT_HOURS_MS;
    const answer = await proxied(user, 'user');
    expect(answer.statusCode, answer.body).toBe(200);
    expect(refreshRequests().length).toBe(refreshesBefore + 1);
    const form = (body: string | undefined) => new URLSearchParams(body);
    expect(form(refreshRequests().at(-1)?.body).get('refresh_hint')).toBe('latchkey');
    const exchange = requestsTo('/login/oauth/access_token').find((request) =>
      request.body.includes('grant_type=authorization_code'),
    );
    expect(form(exchange?.body).has('refresh_hint')).toBe(false);
    // GitHub App user tokens live 8 hours: the stored expiry says so.
    const connection = await service.deps.store.connections.find(connectorId, user.userId);
    expect(connection?.expiresAt).toBe(service.clock.now + EIGHT_HOURS_MS);
  });

  it('asks the user to reconnect when GitHub refuses the refresh token (HTTP 200)', async () => {
    const user = await connectedUser();
    // The user revokes the app in GitHub's settings: every token of the grant goes.
    github.deleteAllGrants();
    service.clock.now += EIGHT_HOURS_MS;
    await proxied(user, 'user');
    expect(await statusOf(service, user.cookie, connectorId)).toBe('reauth_required');
  });

  it('deletes the grant at GitHub on disconnect, with Basic client authentication', async () => {
    const user = await connectedUser();
    const before = github.requests.length;
    const answer = await service.request({
      method: 'POST',
      url: `/api/connectors/${connectorId}/_oauth_disconnect`,
      cookie: user.cookie,
      body: {},
    });
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
    return requestsTo('/login/oauth/access_token').filter((request) =>
      request.body.includes('grant_type=refresh_token'),
    );
  }
});
