import { type SlackStandIn, startSlackStandIn } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, REDIRECT_URI, statusOf, type UserSession } from './support/oauth-harness';
import { catalogWithStandIn } from './support/stand-in-catalog';
import { storedTokens } from './support/stored-state';
import { startTestService, type TestService } from './support/test-service';

/** The Slack preset, end to end, against a stand-in of Slack's documented answers. */
describe('Slack preset (stand-in)', () => {
  let slack: SlackStandIn;
  let service: TestService;
  let connectorId: string;

  beforeAll(async () => {
    // A secret that RFC 6749 §2.3.1 encodes before Base64.
    slack = await startSlackStandIn({ tokenRotation: true, clientSecret: 'slack:secret+with%odd' });
    const catalog = catalogWithStandIn('slack', {
      authorizationUrl: `${slack.baseUrl}/oauth/v2/authorize`,
      tokenUrl: `${slack.baseUrl}/api/oauth.v2.access`,
      apiBaseUrl: `${slack.baseUrl}/api`,
    });
    service = await startTestService({ LATCHKEY_JOBS_ENABLED: 'false' }, undefined, { catalog });
    const created = await service.asAdmin({
      method: 'POST',
      url: '/api/connectors',
      body: {
        name: 'Slack',
        provider: 'slack',
        authMode: 'per-user',
        config: { clientId: slack.clientId, scope: 'users:read channels:read' },
        secrets: { clientSecret: slack.clientSecret },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    connectorId = created.json().id;
  });
  afterAll(async () => {
    await service.stop();
    await slack.close();
  });

  const requestsTo = (path: string) => slack.requests.filter((request) => request.path === path);
  const authTest = (user: UserSession) =>
    service.request({
      method: 'POST',
      url: `/api/connectors/${connectorId}/proxy/auth.test`,
      cookie: user.cookie,
    });

  async function connectedUser(): Promise<UserSession> {
    const user = await service.sessionFor('viewer');
    const { response } = await connect(service, user.cookie, connectorId);
    expect(response.statusCode).toBeLessThan(400);
    expect(await statusOf(service, user.cookie, connectorId)).toBe('connected');
    return user;
  }

  it('asks for user scopes in user_scope, comma-separated, with the client in the body', async () => {
    const user = await connectedUser();
    const authorize = requestsTo('/oauth/v2/authorize').at(-1);
    expect(authorize?.query).toMatchObject({
      client_id: slack.clientId,
      redirect_uri: REDIRECT_URI,
      user_scope: 'users:read,channels:read',
      code_challenge_method: 'S256',
    });
    expect(authorize?.query.scope).toBeUndefined();
    // Slack takes the client in the body as well as in Basic; oauth4webapi's Basic encodes
    // the `.` of Slack's client ids (RFC 6749 §2.3.1), which Slack is not documented to decode.
    const token = requestsTo('/api/oauth.v2.access').at(-1);
    expect(token?.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(token?.body))).toMatchObject({
      client_id: slack.clientId,
      client_secret: slack.clientSecret,
    });
    // The user token under authed_user is the one kept, not a bot token.
    const stored = await storedTokens(service, connectorId, user.userId);
    expect(stored?.accessToken).toMatch(/^xoxe\.xoxp-/);
    expect(stored?.refreshToken).toMatch(/^xoxe-1-/);
    // The user token's lifetime and the workspace, kept from beside the nested tokens.
    const connection = await service.deps.store.connections.find(connectorId, user.userId);
    expect(connection?.metadata).toEqual({ team_id: slack.teamId });
    expect(connection?.expiresAt).toBeGreaterThan(service.clock.now);
  });

  it('calls the Web API with the user token as bearer', async () => {
    const user = await connectedUser();
    const answer = await authTest(user);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({ ok: true, team_id: slack.teamId });
    const stored = await storedTokens(service, connectorId, user.userId);
    expect(requestsTo('/api/auth.test').at(-1)?.headers.authorization).toBe(
      `Bearer ${stored?.accessToken}`,
    );
  });

  it('refreshes when Slack answers a dead token with HTTP 200, and calls again', async () => {
    const user = await connectedUser();
    const before = await storedTokens(service, connectorId, user.userId);
    slack.expireAccessTokens();
    const answer = await authTest(user);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({ ok: true });
    const after = await storedTokens(service, connectorId, user.userId);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(slack.isLive(after?.accessToken ?? '')).toBe(true);
  });

  it('asks the user to reconnect when Slack refuses the refresh token', async () => {
    const user = await connectedUser();
    slack.revokeAllAuthorizations();
    await authTest(user);
    expect(await statusOf(service, user.cookie, connectorId)).toBe('reauth_required');
  });

  it('revokes at Slack on disconnect, with the access token as bearer', async () => {
    const user = await connectedUser();
    const stored = await storedTokens(service, connectorId, user.userId);
    const before = slack.requests.length;
    const answer = await service.request({
      method: 'POST',
      url: `/api/connectors/${connectorId}/_oauth_disconnect`,
      cookie: user.cookie,
      body: {},
    });
    expect(answer.statusCode).toBe(204);
    const sent = slack.requests.slice(before);
    expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /api/auth.revoke',
    ]);
    expect(sent[0]?.headers.authorization).toBe(`Bearer ${stored?.accessToken}`);
    expect(slack.isLive(stored?.accessToken ?? '')).toBe(false);
  });
});
