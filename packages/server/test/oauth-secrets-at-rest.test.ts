import type { TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResult } from './support/callback-results';
import {
  authorizeAtProvider,
  createProviderConnector,
  deliverCallback,
  PROVIDER_CLIENT_SECRET,
  sessionsFor,
  startFlow,
  startOAuthService,
  startProvider,
  type UserSession,
} from './support/oauth-harness';
import { storedBytes } from './support/stored-bytes';
import { codeVerifierOf, storedTokens } from './support/stored-state';
import { ADMIN_PASSWORD, type TestService } from './support/test-service';

type Kind = 'access token' | 'refresh token' | 'code' | 'code verifier' | 'state' | 'other';

/**
 * Invariant 1, checked on the bytes: after a full run (connections, a reconnection, a replay,
 * a cancel, a refused consent, disconnects with and without the revocation endpoint), neither
 * the SQLite files nor the logs hold any token, code, verifier or state in clear.
 */
describe('no secret in clear at rest or in the logs (real oidc-provider)', () => {
  let provider: TestProvider;
  let service: TestService;
  let connectorId: string;
  let users: UserSession[];
  const secrets: { kind: Kind; value: string }[] = [];

  function remember(kind: Kind, value: string | null | undefined) {
    if (!value) throw new Error(`no ${kind} to remember`);
    secrets.push({ kind, value });
  }

  /** One flow, recording its state, verifier (read before the callback) and code. */
  async function recordedFlow(user: UserSession) {
    const flow = await startFlow(service, user.cookie, connectorId);
    remember('state', flow.state);
    remember('other', flow.binding);
    remember('code verifier', await codeVerifierOf(service, flow.state));
    const callbackUrl = await authorizeAtProvider(flow.authorizationUrl);
    if (callbackUrl.searchParams.has('code'))
      remember('code', callbackUrl.searchParams.get('code'));
    const response = await deliverCallback(service, callbackUrl, flow.browserCookie);
    return { flow, callbackUrl, response };
  }

  async function rememberTokens(user: UserSession) {
    const tokens = await storedTokens(service, connectorId, user.userId);
    remember('access token', tokens?.accessToken);
    remember('refresh token', tokens?.refreshToken);
  }

  function disconnect(user: UserSession) {
    return service.request({
      method: 'POST',
      url: `/api/connectors/${connectorId}/_oauth_disconnect`,
      cookie: user.cookie,
      body: {},
    });
  }

  beforeAll(async () => {
    provider = await startProvider();
    service = await startOAuthService();
    connectorId = await createProviderConnector(service, provider);
    users = await sessionsFor(service, 'viewer', 'editor', 'admin');
    const [viewer, editor, admin] = users as [UserSession, UserSession, UserSession];
    for (const user of users) remember('other', user.cookie.split('=')[1]);

    for (const user of users) {
      const { response } = await recordedFlow(user);
      expect(readResult(response).status).toBe('success');
      await rememberTokens(user);
    }
    // A reconnection replaces the viewer's tokens; the old ones must not linger in clear.
    const again = await recordedFlow(viewer);
    await rememberTokens(viewer);
    await deliverCallback(service, again.callbackUrl, again.flow.browserCookie); // replayed

    const cancelled = await startFlow(service, editor.cookie, connectorId);
    remember('state', cancelled.state);
    await service.request({
      method: 'POST',
      url: `/api/connectors/${connectorId}/_oauth_cancel`,
      cookie: editor.cookie,
      body: { state: cancelled.state },
    });
    provider.setConsentMode('deny');
    await recordedFlow(admin).finally(() => provider.setConsentMode('grant'));

    expect((await disconnect(viewer)).statusCode).toBe(204);
    provider.setRevocationAvailable(false);
    expect((await disconnect(editor)).statusCode).toBe(204); // queued, sealed
    provider.setRevocationAvailable(true);
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
  });

  it('collected every kind of secret the run produced', () => {
    const count = (kind: Kind) => secrets.filter((secret) => secret.kind === kind).length;
    expect(count('access token')).toBe(4);
    expect(count('refresh token')).toBe(4);
    expect(count('code')).toBe(4);
    expect(count('code verifier')).toBe(5);
    expect(count('state')).toBe(6);
    for (const { value } of secrets) expect(value.length).toBeGreaterThanOrEqual(20);
  });

  it('keeps none of them in clear in the database (on SQLite: the file and its WAL)', async () => {
    const files = await storedBytes(service);
    if (service.database.dialect === 'sqlite') {
      expect(files.map((f) => f.name)).toContain(`${service.databaseFile}-wal`);
    }
    // The scan does see clear values: the connector id is stored as is.
    expect(files.some(({ bytes }) => bytes.includes(connectorId))).toBe(true);
    const clear = [
      ...secrets,
      { kind: 'other', value: PROVIDER_CLIENT_SECRET },
      { kind: 'other', value: ADMIN_PASSWORD },
    ];
    const found = files.flatMap(({ name, bytes }) =>
      clear.filter(({ value }) => bytes.includes(value)).map(({ kind }) => `${kind} in ${name}`),
    );
    expect(found).toEqual([]);
  });

  it('logs none of them', () => {
    const logs = service.logs();
    expect(logs).toContain('oauth callback handled');
    const found = secrets.filter(({ value }) => logs.includes(value)).map(({ kind }) => kind);
    expect(found).toEqual([]);
    expect(logs).not.toContain(PROVIDER_CLIENT_SECRET);
    expect(logs).not.toContain(ADMIN_PASSWORD);
  });
});
