import { randomToken } from '@latchkey/core';
import type { TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readResult, withParams } from './support/callback-results';
import {
  authorizeAtProvider,
  connect,
  createProviderConnector,
  deliverCallback,
  type StartedFlow,
  sessionsFor,
  startFlow,
  startOAuthService,
  startProvider,
  statusOf,
  type UserSession,
} from './support/oauth-harness';
import { countRows } from './support/stored-state';
import type { TestService } from './support/test-service';

const STATE_TTL_SECONDS = 600;

/** Invariant 2: a callback is honoured for a live state, once; anything else asks nobody. */
describe('callback: single use and expiry (real oidc-provider)', () => {
  let provider: TestProvider;
  let service: TestService;
  let connectorId: string;
  let users: UserSession[];

  beforeAll(async () => {
    provider = await startProvider();
    service = await startOAuthService({
      LATCHKEY_OAUTH_STATE_TTL_SECONDS: String(STATE_TTL_SECONDS),
    });
    connectorId = await createProviderConnector(service, provider);
    users = await sessionsFor(service, 'viewer', 'viewer', 'viewer', 'viewer');
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
  });
  beforeEach(() => provider.resetCounts());

  async function authorizedFlow(user: UserSession): Promise<StartedFlow & { callbackUrl: URL }> {
    const flow = await startFlow(service, user.cookie, connectorId);
    return { ...flow, callbackUrl: await authorizeAtProvider(flow.authorizationUrl) };
  }

  it('refuses a replayed callback: nothing more is stored, one token request in all', async () => {
    const [user] = users as [UserSession];
    const { flow, callbackUrl, response } = await connect(service, user.cookie, connectorId);
    expect(readResult(response).status).toBe('success');
    const stored = await service.deps.store.connections.find(connectorId, user.userId);

    const replay = await deliverCallback(service, callbackUrl, flow.browserCookie);

    expect(replay.statusCode).toBe(400);
    expect(readResult(replay)).toMatchObject({ status: 'error', error: 'oauth_state_invalid' });
    expect(provider.counts.tokenByGrant.authorization_code).toBe(1);
    expect(provider.counts.token).toBe(1);
    expect(await service.deps.store.connections.find(connectorId, user.userId)).toEqual(stored);
  });

  it('lets exactly one of 20 concurrent identical callbacks through, with one token request', async () => {
    const user = users[1] as UserSession;
    const flow = await authorizedFlow(user);

    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        deliverCallback(service, flow.callbackUrl, flow.browserCookie),
      ),
    );

    const results = responses.map(readResult);
    expect(results.filter((r) => r.status === 'success')).toHaveLength(1);
    expect(results.filter((r) => r.error === 'oauth_state_invalid')).toHaveLength(19);
    expect(provider.counts.token).toBe(1);
    expect(provider.counts.tokenByGrant.authorization_code).toBe(1);
    expect((await service.deps.store.connections.find(connectorId, user.userId))?.version).toBe(1);
    expect(await statusOf(service, user.cookie, connectorId)).toBe('connected');
  });

  it('refuses an expired state without asking the provider, and stores nothing', async () => {
    const user = users[2] as UserSession;
    const flow = await authorizedFlow(user);
    service.clock.now += (STATE_TTL_SECONDS + 1) * 1000;

    const response = await deliverCallback(service, flow.callbackUrl, flow.browserCookie);

    expect(readResult(response)).toMatchObject({ status: 'error', error: 'oauth_state_expired' });
    expect(provider.counts.token).toBe(0);
    expect(await service.deps.store.connections.find(connectorId, user.userId)).toBeUndefined();
    expect(await statusOf(service, user.cookie, connectorId)).toBe('not_connected');
  });

  it('refuses an unknown or missing state without asking the provider or burning the real flow', async () => {
    const user = users[3] as UserSession;
    const flow = await authorizedFlow(user);
    const flowsBefore = await countRows(service, 'oauth_states');

    for (const state of [randomToken(), 'x', null]) {
      const forged = withParams(flow.callbackUrl, { state });
      const response = await deliverCallback(service, forged, flow.browserCookie);
      expect(response.statusCode).toBe(400);
      expect(readResult(response)).toMatchObject({ status: 'error', error: 'oauth_state_invalid' });
    }
    expect(provider.counts.token).toBe(0);
    expect(await countRows(service, 'oauth_states')).toBe(flowsBefore);
    expect(await service.deps.store.connections.find(connectorId, user.userId)).toBeUndefined();

    // The genuine callback still works: refusing a forgery did not consume the user's flow.
    const genuine = await deliverCallback(service, flow.callbackUrl, flow.browserCookie);
    expect(readResult(genuine).status).toBe('success');
    expect(provider.counts.token).toBe(1);
  });
});
