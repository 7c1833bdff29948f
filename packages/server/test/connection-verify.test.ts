import { type GitHubStandIn, startGitHubStandIn, type TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  connect,
  createProviderConnector,
  startOAuthService,
  startProvider,
  statusOf,
} from './support/oauth-harness';
import { type StandInScene, startStandInScene } from './support/stand-in-scene';
import type { TestService } from './support/test-service';

function verify(service: TestService, cookie: string, connectorId: string) {
  return service.request({
    method: 'POST',
    url: `/api/connectors/${connectorId}/_verify`,
    cookie,
    body: {},
  });
}

describe('POST /api/connectors/:id/_verify (real oidc-provider)', () => {
  let provider: TestProvider;
  let service: TestService;
  let connectorId: string;

  beforeAll(async () => {
    provider = await startProvider();
    service = await startOAuthService();
    connectorId = await createProviderConnector(service, provider);
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
  });
  beforeEach(() => provider.resetCounts());

  it('checks a working grant at the provider and keeps it connected', async () => {
    const user = await service.sessionFor('viewer');
    await connect(service, user.cookie, connectorId);
    provider.resetCounts();
    const response = await verify(service, user.cookie, connectorId);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ status: 'connected', account: 'user-1' });
    // Without an identity endpoint the check is a refresh: it reached the provider.
    expect(provider.counts.tokenByGrant.refresh_token).toBe(1);
  });

  it('asks the provider now, even while a failed refresh cools the connection down', async () => {
    const user = await service.sessionFor('viewer');
    await connect(service, user.cookie, connectorId);
    provider.setTokenEndpointAvailable(false);
    const failed = await verify(service, user.cookie, connectorId);
    expect(failed.statusCode).toBe(502);
    expect(failed.json().error.code).toBe('provider_unavailable');
    provider.setTokenEndpointAvailable(true);
    provider.resetCounts();

    // Within the cool-down the failure started: an ordinary call would get the same 502.
    const response = await verify(service, user.cookie, connectorId);

    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ status: 'connected', lastError: null });
    expect(provider.counts.tokenByGrant.refresh_token).toBe(1);
  });

  it('turns a connection whose grant was revoked at the provider into reauth_required', async () => {
    const user = await service.sessionFor('viewer');
    await connect(service, user.cookie, connectorId);
    provider.revokeAllGrants();
    const response = await verify(service, user.cookie, connectorId);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ status: 'reauth_required' });
    expect(await statusOf(service, user.cookie, connectorId)).toBe('reauth_required');
    const stored = await service.deps.store.connections.find(connectorId, user.userId);
    expect(stored?.sealedCredentials).toBeNull();
    const events = await service.deps.store.audit.page(50);
    expect(
      events.find((e) => e.action === 'connection_verified' && e.subjectUserId === user.userId),
    ).toMatchObject({ outcome: 'failure', reason: 'reauth_required' });
  });

  it('answers 409 not_connected without asking the provider when there is no connection', async () => {
    const user = await service.sessionFor('viewer');
    const response = await verify(service, user.cookie, connectorId);
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('not_connected');
    expect(provider.counts.tokenByGrant.refresh_token ?? 0).toBe(0);
  });
});

describe('connected account and _verify with a verification endpoint (GitHub stand-in)', () => {
  let github: GitHubStandIn;
  let scene: StandInScene;

  beforeAll(async () => {
    github = await startGitHubStandIn();
    scene = await startStandInScene(github, {
      provider: 'github',
      name: 'GitHub',
      entry: {
        authorizationUrl: `${github.baseUrl}/login/oauth/authorize`,
        tokenUrl: `${github.baseUrl}/login/oauth/access_token`,
        apiBaseUrl: github.baseUrl,
        verification: { url: `${github.baseUrl}/user`, identityPath: 'login' },
      },
    });
  });
  afterAll(() => scene.stop());

  it('records the login from GET /user and shows it in the list', async () => {
    const user = await scene.connectedUser();
    expect((await scene.connectionOf(user))?.account).toBe('octocat');
    const list = await scene.service.request({
      method: 'GET',
      url: '/api/connectors',
      cookie: user.cookie,
    });
    const item = list.json().connectors.find((c: { id: string }) => c.id === scene.connectorId);
    expect(item.connection).toMatchObject({ account: 'octocat', scopesMissing: [] });
    // GitHub answers its scopes comma-separated: they are read as a set all the same.
    expect(item.connection.grantedScopes).toEqual(['read:user']);
  });

  it('records a renamed account without a new version: tokens handed out stay recognised', async () => {
    const user = await scene.connectedUser();
    const before = await scene.connectionOf(user);
    github.renameUser('octocat-renamed');
    try {
      const renamed = await verify(scene.service, user.cookie, scene.connectorId);
      expect(renamed.json()).toMatchObject({ status: 'connected', account: 'octocat-renamed' });
      const after = await scene.connectionOf(user);
      expect(after).toMatchObject({
        account: 'octocat-renamed',
        version: before?.version,
        sealedCredentials: before?.sealedCredentials,
      });
      // Nothing to record: nothing is written.
      await verify(scene.service, user.cookie, scene.connectorId);
      expect((await scene.connectionOf(user))?.version).toBe(before?.version);
    } finally {
      github.renameUser('octocat');
    }
  });

  it('verifies with the endpoint, and a deleted grant turns the connection reauth_required', async () => {
    const user = await scene.connectedUser();
    const before = scene.requestsTo('/user').length;
    const ok = await verify(scene.service, user.cookie, scene.connectorId);
    expect(ok.json()).toMatchObject({ status: 'connected', account: 'octocat' });
    expect(scene.requestsTo('/user').length).toBe(before + 1);
    github.deleteAllGrants();
    const refused = await verify(scene.service, user.cookie, scene.connectorId);
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json()).toMatchObject({ status: 'reauth_required' });
    expect(await scene.statusOf(user)).toBe('reauth_required');
  });
});
