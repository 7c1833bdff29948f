import { sha256 } from '@latchkey/core';
import type { TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readResult } from './support/callback-results';
import { sharedConnectorBody } from './support/connector-bodies';
import {
  authorizeAtProvider,
  connect,
  createProviderConnector,
  deliverCallback,
  sessionsFor,
  startFlow,
  startOAuthService,
  startProvider,
  statusOf,
  type UserSession,
} from './support/oauth-harness';
import { countRows } from './support/stored-state';
import { ADMIN_PASSWORD, type TestService } from './support/test-service';

/** Invariant 6: every role connects its own account; nobody touches another user's. */
describe('viewers and ownership (real oidc-provider)', () => {
  let provider: TestProvider;
  let service: TestService;
  let connectorId: string;
  let viewer: UserSession;
  let alice: UserSession;
  let bob: UserSession;

  beforeAll(async () => {
    provider = await startProvider();
    service = await startOAuthService();
    connectorId = await createProviderConnector(service, provider);
    [viewer, alice, bob] = (await sessionsFor(service, 'viewer', 'viewer', 'editor')) as [
      UserSession,
      UserSession,
      UserSession,
    ];
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
  });
  beforeEach(() => provider.resetCounts());

  /** The connector ids of the user's audited cancellations, oldest first. */
  async function cancellations(user: UserSession) {
    const events = await service.deps.store.audit.page(500);
    return events
      .filter((e) => e.actorUserId === user.userId && e.action === 'oauth_cancelled')
      .map((e) => e.connectorId)
      .reverse();
  }

  function post(user: UserSession, action: string, body: unknown = {}, id = connectorId) {
    return service.request({
      method: 'POST',
      url: `/api/connectors/${id}/${action}`,
      cookie: user.cookie,
      body,
    });
  }

  it('lets a viewer start, complete, cancel and disconnect', async () => {
    const { response } = await connect(service, viewer.cookie, connectorId);
    expect(readResult(response).status).toBe('success');
    expect(await statusOf(service, viewer.cookie, connectorId)).toBe('connected');

    const pending = await startFlow(service, viewer.cookie, connectorId);
    const callbackUrl = await authorizeAtProvider(pending.authorizationUrl);
    expect((await post(viewer, '_oauth_cancel', { state: pending.state })).statusCode).toBe(204);
    expect((await post(viewer, '_oauth_cancel', { state: pending.state })).statusCode).toBe(204);
    provider.resetCounts();
    const late = await deliverCallback(service, callbackUrl, pending.browserCookie);
    expect(readResult(late)).toMatchObject({ status: 'error', error: 'oauth_state_invalid' });
    expect(provider.counts.token).toBe(0);
    // Cancelling a new flow leaves the existing connection alone.
    expect(await statusOf(service, viewer.cookie, connectorId)).toBe('connected');

    expect((await post(viewer, '_oauth_disconnect')).statusCode).toBe(204);
    expect(await statusOf(service, viewer.cookie, connectorId)).toBe('not_connected');
    const actions = (await service.deps.store.audit.page(500))
      .filter((e) => e.actorUserId === viewer.userId)
      .map((e) => e.action);
    expect(actions.filter((a) => a === 'oauth_cancelled')).toHaveLength(1);
  });

  it("refuses to let Bob cancel Alice's flow, which stays usable", async () => {
    const flow = await startFlow(service, alice.cookie, connectorId);

    const response = await post(bob, '_oauth_cancel', { state: flow.state });

    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('oauth_flow_forbidden');
    const callbackUrl = await authorizeAtProvider(flow.authorizationUrl);
    const completed = await deliverCallback(service, callbackUrl, flow.browserCookie);
    expect(readResult(completed).status).toBe('success');
    expect(await statusOf(service, alice.cookie, connectorId)).toBe('connected');
  });

  it("refuses to cancel a flow under another connector's id, and the flow still completes", async () => {
    const otherConnectorId = await createProviderConnector(service, provider);
    const flow = await startFlow(service, alice.cookie, otherConnectorId);

    const response = await post(alice, '_oauth_cancel', { state: flow.state });

    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('oauth_flow_connector_mismatch');
    expect(await service.deps.store.oauthStates.find(sha256(flow.state))).toBeDefined();
    expect(await cancellations(alice)).toEqual([]);
    // Another user learns nothing about the connector: the ownership check comes first.
    const byBob = await post(bob, '_oauth_cancel', { state: flow.state });
    expect(byBob.json().error.code).toBe('oauth_flow_forbidden');
    const callbackUrl = await authorizeAtProvider(flow.authorizationUrl);
    const completed = await deliverCallback(service, callbackUrl, flow.browserCookie);
    expect(readResult(completed)).toMatchObject({
      status: 'success',
      connectorId: otherConnectorId,
    });
    expect(await statusOf(service, alice.cookie, otherConnectorId)).toBe('connected');
  });

  it('cancels a flow under its own connector id after a refusal under another one', async () => {
    const otherConnectorId = await createProviderConnector(service, provider);
    const flow = await startFlow(service, alice.cookie, otherConnectorId);
    expect((await post(alice, '_oauth_cancel', { state: flow.state })).statusCode).toBe(400);

    const response = await post(alice, '_oauth_cancel', { state: flow.state }, otherConnectorId);

    expect(response.statusCode).toBe(204);
    expect(await service.deps.store.oauthStates.find(sha256(flow.state))).toBeUndefined();
    expect(await cancellations(alice)).toEqual([otherConnectorId]);
    const callbackUrl = await authorizeAtProvider(flow.authorizationUrl);
    const late = await deliverCallback(service, callbackUrl, flow.browserCookie);
    expect(readResult(late)).toMatchObject({ status: 'error', error: 'oauth_state_invalid' });
  });

  it('leaves Alice connected when Bob disconnects the same connector', async () => {
    await connect(service, alice.cookie, connectorId);
    const before = await service.deps.store.connections.find(connectorId, alice.userId);
    provider.resetCounts();

    expect((await post(bob, '_oauth_disconnect')).statusCode).toBe(204);

    expect(provider.counts.revocation).toBe(0);
    expect(await service.deps.store.connections.find(connectorId, alice.userId)).toEqual(before);
    expect(await statusOf(service, alice.cookie, connectorId)).toBe('connected');
    expect(await statusOf(service, bob.cookie, connectorId)).toBe('not_connected');
  });

  it('keeps statuses per user in the list, the detail and _me/auth_status alike', async () => {
    await connect(service, alice.cookie, connectorId);
    for (const [user, expected] of [
      [alice, 'connected'],
      [bob, 'not_connected'],
    ] as const) {
      const list = await service.request({
        method: 'GET',
        url: '/api/connectors',
        cookie: user.cookie,
      });
      const listed = list.json().connectors.find((c: { id: string }) => c.id === connectorId);
      const statuses = await service.request({
        method: 'POST',
        url: '/api/connectors/_me/auth_status',
        cookie: user.cookie,
        body: {},
      });
      expect(listed.userAuthStatus).toBe(expected);
      expect(await statusOf(service, user.cookie, connectorId)).toBe(expected);
      expect(statuses.json()[connectorId].user_auth_status).toBe(expected);
    }
  });

  it('refuses to start a flow on a shared connector or an unknown one, creating nothing', async () => {
    const admin = await service.login('admin', ADMIN_PASSWORD);
    const shared = await service.request({
      method: 'POST',
      url: '/api/connectors',
      cookie: admin,
      body: sharedConnectorBody(),
    });
    const flowsBefore = await countRows(service, 'oauth_states');

    const onShared = await post(viewer, '_start_oauth_flow', {}, shared.json().id);
    expect(onShared.statusCode).toBe(400);
    expect(onShared.json().error.code).toBe('connector_not_per_user');

    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const action of ['_start_oauth_flow', '_oauth_disconnect']) {
      const response = await post(viewer, action, {}, unknown);
      expect(response.statusCode, action).toBe(404);
      expect(response.json().error.code, action).toBe('connector_not_found');
    }
    expect(await countRows(service, 'oauth_states')).toBe(flowsBefore);
  });

  it('refuses every OAuth action without a session', async () => {
    for (const action of ['_start_oauth_flow', '_oauth_disconnect']) {
      const response = await service.request({
        method: 'POST',
        url: `/api/connectors/${connectorId}/${action}`,
        body: {},
      });
      expect(response.statusCode, action).toBe(401);
    }
    const cancel = await service.request({
      method: 'POST',
      url: `/api/connectors/${connectorId}/_oauth_cancel`,
      body: { state: 'x' },
    });
    expect(cancel.statusCode).toBe(401);
  });
});
