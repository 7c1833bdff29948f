import { METADATA_TTL_MS } from '@latchkey/core';
import { startTestProvider, type TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { readResult, withParams } from './support/callback-results';
import { createDiscoveryConnector } from './support/discovery-harness';
import {
  activeAt,
  authorizeAtProvider,
  connect,
  countRows,
  deliverCallback,
  sessionsFor,
  startFlow,
  startOAuthService,
  storedTokens,
  testClient,
  type UserSession,
} from './support/oauth-harness';
import type { TestService } from './support/test-service';

/**
 * A connector given only an issuer (OpenID Connect Discovery, RFC 8414) against a real
 * oidc-provider that does not offer PAR: the authorization URL carries the parameters.
 */
describe('discovery: a connector with only an issuer (real oidc-provider)', () => {
  let provider: TestProvider;
  let service: TestService;
  let connectorId: string;
  let user: UserSession;

  beforeAll(async () => {
    provider = await startTestProvider({
      clients: [testClient('latchkey')],
      pushedAuthorizationRequests: 'off',
    });
    service = await startOAuthService({ LATCHKEY_OAUTH_START_LIMIT_PER_HOUR: '100' });
    connectorId = await createDiscoveryConnector(service, provider.issuer);
    [user] = (await sessionsFor(service, 'viewer')) as [UserSession];
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
  });
  beforeEach(() => provider.resetCounts());

  it('stores the issuer only: the endpoints stay in the metadata', async () => {
    const stored = await service.deps.store.connectors.findById(connectorId);
    expect(stored?.config).toMatchObject({ issuer: provider.issuer, discovery: true });
    expect(stored?.config).not.toHaveProperty('tokenUrl');
    expect(stored?.config).not.toHaveProperty('authorizationUrl');
  });

  it('connects, refreshes and disconnects with revocation at the discovered endpoints', async () => {
    const { flow, response } = await connect(service, user.cookie, connectorId);
    const authorizationUrl = new URL(flow.authorizationUrl);
    expect(`${authorizationUrl.origin}${authorizationUrl.pathname}`).toBe(
      provider.authorizationEndpoint,
    );
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(readResult(response).status).toBe('success');
    expect(provider.counts.tokenByGrant.authorization_code).toBe(1);
    const first = await storedTokens(service, connectorId, user.userId);

    const { key } = await createApiKey(service, ['tokens:read', 'on_behalf']);
    service.clock.now += 2 * 3600 * 1000;
    const token = await service.request({
      method: 'GET',
      url: `/api/connectors/${connectorId}/_token`,
      headers: { authorization: `ApiKey ${key}`, 'x-latchkey-user': user.userId },
    });
    expect(token.statusCode).toBe(200);
    expect(provider.counts.tokenByGrant.refresh_token).toBe(1);
    const refreshed = await storedTokens(service, connectorId, user.userId);
    expect(refreshed?.refreshToken).not.toBe(first?.refreshToken);

    const disconnect = await service.request({
      method: 'POST',
      url: `/api/connectors/${connectorId}/_oauth_disconnect`,
      cookie: user.cookie,
      body: {},
    });
    expect(disconnect.statusCode).toBe(204);
    expect(provider.counts.revocation).toBe(2);
    const tokens = [refreshed?.refreshToken, refreshed?.accessToken] as string[];
    expect(await activeAt(provider, tokens)).toEqual([false, false]);
  });

  it('requires iss, as the metadata says the server sends it (RFC 9207)', async () => {
    for (const iss of [null, `${provider.issuer}/`]) {
      const flow = await startFlow(service, user.cookie, connectorId);
      const callbackUrl = await authorizeAtProvider(flow.authorizationUrl);
      const forged = withParams(callbackUrl, { iss });
      const result = readResult(await deliverCallback(service, forged, flow.browserCookie));
      expect(result.error).toBe('oauth_response_invalid');
    }
    expect(provider.counts.token).toBe(0);
    expect(await service.deps.store.connections.find(connectorId, user.userId)).toBeUndefined();
  });

  it('reads the metadata from its cache, and again once the cache has expired', async () => {
    await connect(service, user.cookie, connectorId);
    await connect(service, user.cookie, connectorId);
    expect(provider.counts.metadata).toBe(0);
    service.clock.now += METADATA_TTL_MS;
    const { response } = await connect(service, user.cookie, connectorId);
    expect(readResult(response).status).toBe('success');
    expect(provider.counts.metadata).toBe(1);
    await connect(service, user.cookie, connectorId);
    expect(provider.counts.metadata).toBe(1);
  });

  it("revokes the users' tokens at the discovered endpoint after the connector is deleted", async () => {
    const doomed = await createDiscoveryConnector(service, provider.issuer);
    await connect(service, user.cookie, doomed);
    const tokens = await storedTokens(service, doomed, user.userId);
    const deleted = await service.asAdmin({ method: 'DELETE', url: `/api/connectors/${doomed}` });
    expect(deleted.statusCode).toBe(204);
    expect(await countRows(service, 'pending_revocations')).toBe(2);
    await service.jobs.runNow('revocation-retries');
    expect(provider.counts.revocation).toBe(2);
    const revoked = [tokens?.refreshToken, tokens?.accessToken] as string[];
    expect(await activeAt(provider, revoked)).toEqual([false, false]);
  });
});
