import { type SlackStandIn, startSlackStandIn } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIRECT_URI, type UserSession } from './support/oauth-harness';
import { type StandInScene, startStandInScene } from './support/stand-in-scene';

/** The Slack preset, end to end, against a stand-in of Slack's documented answers. */
describe('Slack preset (stand-in)', () => {
  let slack: SlackStandIn;
  let scene: StandInScene;

  beforeAll(async () => {
    // A secret that RFC 6749 §2.3.1 encodes before Base64.
    slack = await startSlackStandIn({ tokenRotation: true, clientSecret: 'slack:secret+with%odd' });
    scene = await startStandInScene(slack, {
      provider: 'slack',
      name: 'Slack',
      entry: {
        authorizationUrl: `${slack.baseUrl}/oauth/v2/authorize`,
        tokenUrl: `${slack.baseUrl}/api/oauth.v2.access`,
        apiBaseUrl: `${slack.baseUrl}/api`,
      },
      config: { scope: 'users:read channels:read' },
    });
  });
  afterAll(() => scene.stop());

  const authTest = (user: UserSession) => scene.proxied(user, 'auth.test', 'POST');

  it('asks for user scopes in user_scope, comma-separated, with the client in the body', async () => {
    const user = await scene.connectedUser();
    const authorize = scene.requestsTo('/oauth/v2/authorize').at(-1);
    expect(authorize?.query).toMatchObject({
      client_id: slack.clientId,
      redirect_uri: REDIRECT_URI,
      user_scope: 'users:read,channels:read',
      code_challenge_method: 'S256',
    });
    expect(authorize?.query.scope).toBeUndefined();
    // Slack takes the client in the body as well as in Basic; oauth4webapi's Basic encodes
    // the `.` of Slack's client ids (RFC 6749 §2.3.1), which Slack is not documented to decode.
    const token = scene.requestsTo('/api/oauth.v2.access').at(-1);
    expect(token?.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(token?.body))).toMatchObject({
      client_id: slack.clientId,
      client_secret: slack.clientSecret,
    });
    // The user token under authed_user is the one kept, not a bot token.
    const stored = await scene.tokensOf(user);
    expect(stored?.accessToken).toMatch(/^xoxe\.xoxp-/);
    expect(stored?.refreshToken).toMatch(/^xoxe-1-/);
    // The user token's lifetime and the workspace, kept from beside the nested tokens.
    const connection = await scene.connectionOf(user);
    expect(connection?.metadata).toEqual({ team_id: slack.teamId });
    expect(connection?.expiresAt).toBeGreaterThan(scene.service.clock.now);
  });

  it('calls the Web API with the user token as bearer', async () => {
    const user = await scene.connectedUser();
    const answer = await authTest(user);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({ ok: true, team_id: slack.teamId });
    const stored = await scene.tokensOf(user);
    expect(scene.requestsTo('/api/auth.test').at(-1)?.headers.authorization).toBe(
      `Bearer ${stored?.accessToken}`,
    );
  });

  it('refreshes when Slack answers a dead token with HTTP 200, and calls again', async () => {
    const user = await scene.connectedUser();
    const before = await scene.tokensOf(user);
    slack.expireAccessTokens();
    const answer = await authTest(user);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({ ok: true });
    const after = await scene.tokensOf(user);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(slack.isLive(after?.accessToken ?? '')).toBe(true);
  });

  it('asks the user to reconnect when Slack refuses the refresh token', async () => {
    const user = await scene.connectedUser();
    slack.revokeAllAuthorizations();
    await authTest(user);
    expect(await scene.statusOf(user)).toBe('reauth_required');
  });

  it('revokes at Slack on disconnect, with the access token as bearer', async () => {
    const user = await scene.connectedUser();
    const stored = await scene.tokensOf(user);
    const before = slack.requests.length;
    const answer = await scene.disconnect(user);
    expect(answer.statusCode).toBe(204);
    const sent = slack.requests.slice(before);
    expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /api/auth.revoke',
    ]);
    expect(sent[0]?.headers.authorization).toBe(`Bearer ${stored?.accessToken}`);
    expect(slack.isLive(stored?.accessToken ?? '')).toBe(false);
  });
});
