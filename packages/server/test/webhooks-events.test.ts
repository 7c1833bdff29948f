import { CONNECTION_EVENT_TYPES } from '@latchkey/core';
import { startWebhookReceiver, type TestProvider, type WebhookReceiver } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { readResult } from './support/callback-results';
import { connectWithSession, createConnectSession } from './support/end-users';
import {
  connect,
  createProviderConnector,
  sessionsFor,
  startOAuthService,
  startProvider,
  storedTokens,
} from './support/oauth-harness';
import { expireAccessTokens, type ProxyScene, startProxyScene } from './support/proxy-scene';
import type { TestService } from './support/test-service';
import {
  type RegisteredWebhook,
  registerWebhook,
  runDeliveries,
  verifiedPayload,
} from './support/webhooks';

/** Each change to a connection reaches a subscribed receiver once, signed, without tokens. */
describe('connection events as signed webhooks (real oidc-provider)', () => {
  let provider: TestProvider;
  let service: TestService;
  let receiver: WebhookReceiver;
  let connectorId: string;
  let webhook: RegisteredWebhook;

  beforeAll(async () => {
    provider = await startProvider();
    service = await startOAuthService();
    receiver = await startWebhookReceiver();
    connectorId = await createProviderConnector(service, provider);
    webhook = await registerWebhook(service, receiver.url, CONNECTION_EVENT_TYPES);
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
    await receiver.stop();
  });

  it('sends created, reconnected, disconnected, created, deleted once each', async () => {
    const [user] = await sessionsFor(service, 'viewer');
    if (!user) throw new Error('no user');
    const tokenValues: string[] = [];
    // Webhooks promise no order; the receiver orders by the event's time, which moves.
    const keepTokens = async () => {
      service.clock.now += 1;
      const tokens = await storedTokens(service, connectorId, user.userId);
      if (!tokens) throw new Error('not connected');
      tokenValues.push(tokens.accessToken, tokens.refreshToken ?? '');
    };
    await connect(service, user.cookie, connectorId);
    await keepTokens();
    await connect(service, user.cookie, connectorId);
    await keepTokens();
    const disconnected = await service.request({
      method: 'POST',
      url: `/api/connectors/${connectorId}/_oauth_disconnect`,
      cookie: user.cookie,
      body: {},
    });
    expect(disconnected.statusCode).toBe(204);
    service.clock.now += 1;
    await connect(service, user.cookie, connectorId);
    await keepTokens();
    const deleted = await service.asAdmin({ method: 'DELETE', url: `/api/users/${user.userId}` });
    expect(deleted.statusCode).toBe(204);
    expect(receiver.received).toEqual([]);

    await runDeliveries(service);
    await runDeliveries(service);

    const payloads = receiver.received
      .map((w) => verifiedPayload(w, webhook.secret))
      .sort((a, b) => a.timestamp.localeCompare(b.timestamp));
    expect(payloads.map((p) => [p.type, p.data])).toEqual([
      ['connection.created', { connectorId, userId: user.userId }],
      ['connection.reconnected', { connectorId, userId: user.userId }],
      ['connection.disconnected', { connectorId, userId: user.userId }],
      ['connection.created', { connectorId, userId: user.userId }],
      ['connection.deleted', { connectorId, userId: user.userId, reason: 'user_deleted' }],
    ]);
    const ids = receiver.received.map((w) => w.headers['webhook-id']);
    expect(new Set(ids).size).toBe(5);
    for (const received of receiver.received) {
      for (const token of tokenValues.filter(Boolean)) {
        expect(received.body).not.toContain(token);
        expect(JSON.stringify(received.headers)).not.toContain(token);
      }
    }
  });

  it("names an end user by the app's own id, also once they are deleted", async () => {
    const appKey = (await createApiKey(service, ['end_users'])).key;
    const session = await createConnectSession(service, appKey, 'app-user-7', {
      connectorIds: [connectorId],
    });
    const { response } = await connectWithSession(service, session.token, connectorId);
    expect(readResult(response).status).toBe('success');
    service.clock.now += 1;
    const deleted = await service.asAdmin({ method: 'DELETE', url: '/api/end_users/app-user-7' });
    expect(deleted.statusCode).toBe(204);
    const before = receiver.received.length;

    await runDeliveries(service);

    const payloads = receiver.received
      .slice(before)
      .map((w) => verifiedPayload(w, webhook.secret))
      .sort((a, b) => a.timestamp.localeCompare(b.timestamp));
    expect(payloads.map((p) => [p.type, p.data])).toEqual([
      ['connection.created', { connectorId, endUserId: 'app-user-7' }],
      ['connection.deleted', { connectorId, endUserId: 'app-user-7', reason: 'end_user_deleted' }],
    ]);
  });

  it('refuses a forged or altered body under the reference verifier', () => {
    const [first] = receiver.received;
    if (!first) throw new Error('nothing received');
    expect(() => verifiedPayload({ ...first, body: `${first.body} ` }, webhook.secret)).toThrow();
    const otherSecret = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
    expect(() => verifiedPayload(first, otherSecret)).toThrow();
  });
});

describe('reauth_required and deleted, once each however many callers', () => {
  let scene: ProxyScene;
  let receiver: WebhookReceiver;
  let webhook: RegisteredWebhook;

  beforeAll(async () => {
    scene = await startProxyScene();
    receiver = await startWebhookReceiver();
    webhook = await registerWebhook(scene.service, receiver.url, [
      'connection.reauth_required',
      'connection.deleted',
    ]);
  });
  afterAll(async () => {
    await scene.stop();
    await receiver.stop();
  });

  it('sends one reauth_required for a dead grant met by 10 calls, then one deleted', async () => {
    scene.provider.revokeAllGrants();
    expireAccessTokens(scene.service);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => scene.proxied(`call/${i}`)),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(10).fill(409));
    scene.service.clock.now += 1;
    const deleted = await scene.service.asAdmin({
      method: 'DELETE',
      url: `/api/connectors/${scene.connectorId}`,
    });
    expect(deleted.statusCode).toBe(204);
    await runDeliveries(scene.service);
    const payloads = receiver.received
      .map((w) => verifiedPayload(w, webhook.secret, scene.service.clock.now))
      .sort((a, b) => a.timestamp.localeCompare(b.timestamp));
    const data = { connectorId: scene.connectorId, userId: scene.user.userId };
    expect(payloads.map((p) => [p.type, p.data])).toEqual([
      ['connection.reauth_required', { ...data, reason: 'invalid_grant' }],
      ['connection.deleted', { ...data, reason: 'connector_deleted' }],
    ]);
  });
});
