import { startWebhookReceiver, type WebhookReceiver } from '@latchkey/testing';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiKey } from './support/api-keys';
import { storedTokens } from './support/oauth-harness';
import { expireAccessTokens, type ProxyScene, startProxyScene } from './support/proxy-scene';
import {
  type RegisteredWebhook,
  registerWebhook,
  runDeliveries,
  verifiedPayload,
} from './support/webhooks';

/**
 * An outage is not a revoked grant: 502, and the connection keeps its tokens. Nor is it a
 * reason to ask the provider on every call: after a failed refresh the connection cools
 * down (30 s, doubling) and calls within it are answered from the recorded failure.
 */
describe('the token endpoint fails while a token needs refreshing', () => {
  let scene: ProxyScene;
  let tokenKey: string;
  let receiver: WebhookReceiver;
  let webhook: RegisteredWebhook;

  beforeAll(async () => {
    scene = await startProxyScene();
    tokenKey = (await createApiKey(scene.service, ['tokens:read', 'on_behalf'])).key;
    receiver = await startWebhookReceiver();
    webhook = await registerWebhook(scene.service, receiver.url, [
      'connection.refresh_failed',
      'connection.recovered',
    ]);
  });
  afterAll(async () => {
    await scene.stop();
    await receiver.stop();
  });

  const readToken = () =>
    scene.service.request({
      method: 'GET',
      url: `/api/connectors/${scene.connectorId}/_token`,
      headers: { authorization: `ApiKey ${tokenKey}`, 'x-latchkey-user': scene.user.userId },
    });
  const detail = async () =>
    (
      await scene.service.request({
        method: 'GET',
        url: `/api/connectors/${scene.connectorId}`,
        cookie: scene.user.cookie,
      })
    ).json();
  const auditActions = async (action: string) =>
    (await scene.service.deps.store.audit.page(500)).filter((e) => e.action === action);
  const attemptsAtProvider = () => scene.provider.counts.tokenWhileUnavailable;
  const expectUnavailable = (response: LightMyRequestResponse, retryAfter: number) => {
    expect(response.statusCode).toBe(502);
    expect(response.json().error.code).toBe('provider_unavailable');
    expect(Number(response.headers['retry-after'])).toBe(retryAfter);
  };

  it('asks the provider once, then answers calls within the cool-down from the failure', async () => {
    const before = await storedTokens(scene.service, scene.connectorId, scene.user.userId);
    scene.provider.setTokenEndpointAvailable(false);
    expireAccessTokens(scene.service);
    const apiBefore = scene.api.counts.requests;

    expectUnavailable(await scene.proxied('first'), 30);
    const burst = await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => scene.proxied(`burst-${i}`)),
      ...Array.from({ length: 5 }, () => readToken()),
    ]);
    scene.service.clock.now += 29_000;
    const later = [await scene.proxied('later'), await readToken()];

    for (const response of [...burst]) expectUnavailable(response, 30);
    for (const response of later) expectUnavailable(response, 1);
    expect(attemptsAtProvider()).toBe(1);
    expect(scene.api.counts.requests).toBe(apiBefore);
    expect(await storedTokens(scene.service, scene.connectorId, scene.user.userId)).toEqual(before);
    expect(await auditActions('connection_reauth_required')).toEqual([]);
    expect(await auditActions('connection_refresh_failed')).toHaveLength(1);
  });

  it('shows the connection as refresh_failing with its error and next attempt', async () => {
    const view = await detail();
    expect(view.userAuthStatus).toBe('refresh_failing');
    expect(view.connection).toMatchObject({
      status: 'refresh_failing',
      lastError: 'provider_unavailable',
      nextAttemptAt: new Date(scene.service.clock.now + 1000).toISOString(),
      lastRefreshedAt: null,
    });
  });

  it('tries again after the cool-down, and a second failure doubles it', async () => {
    scene.service.clock.now += 1000;
    expectUnavailable(await readToken(), 60);
    expect(attemptsAtProvider()).toBe(2);
    scene.service.clock.now += 59_000;
    expectUnavailable(await scene.proxied('still-cooling'), 1);
    expect(attemptsAtProvider()).toBe(2);
    const failed = await auditActions('connection_refresh_failed');
    expect(failed.map((e) => e.details)).toEqual([
      { failures: 2, retryInSeconds: 60 },
      { failures: 1, retryInSeconds: 30 },
    ]);
  });

  it('an on-demand check may ignore the cool-down', async () => {
    const { accessTokens } = scene.service.deps;
    await expect(
      accessTokens.get(scene.connectorId, scene.user.userId, undefined, { ignoreCoolDown: true }),
    ).rejects.toMatchObject({ code: 'provider_unavailable' });
    expect(attemptsAtProvider()).toBe(3);
  });

  it('once the provider is back, the first call after the cool-down refreshes and recovers', async () => {
    scene.provider.setTokenEndpointAvailable(true);
    scene.provider.resetCounts();
    expectUnavailable(await scene.proxied('back-but-cooling'), 120);
    expect(scene.refreshes()).toBe(0);

    scene.service.clock.now += 120_000;
    const response = await scene.proxied('after-outage');
    expect(response.statusCode).toBe(200);
    expect(scene.refreshes()).toBe(1);
    expect((await readToken()).statusCode).toBe(200);
    expect(scene.refreshes()).toBe(1);

    const view = await detail();
    expect(view.userAuthStatus).toBe('connected');
    expect(view.connection).toMatchObject({
      status: 'connected',
      lastError: null,
      nextAttemptAt: null,
      lastRefreshedAt: new Date(scene.service.clock.now).toISOString(),
    });
    const recovered = await auditActions('connection_recovered');
    expect(recovered.map((e) => e.details)).toEqual([{ failures: 3 }]);
  });

  it('sends connection.refresh_failed once for the failures in a row, and connection.recovered once', async () => {
    await runDeliveries(scene.service);
    // Signed at the service's clock, hours ahead: the verifier checks the timestamp.
    vi.useFakeTimers({ toFake: ['Date'], now: scene.service.clock.now });
    const payloads = receiver.received.map((received) => verifiedPayload(received, webhook.secret));
    vi.useRealTimers();
    const data = { connectorId: scene.connectorId, userId: scene.user.userId };
    expect(payloads.map(({ type, data }) => ({ type, data }))).toEqual([
      { type: 'connection.refresh_failed', data: { ...data, reason: 'provider_unavailable' } },
      { type: 'connection.recovered', data },
    ]);
  });
});
