import { startResourceApi } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { PROVIDER_CLIENT_SECRET, startProvider } from './support/oauth-harness';
import { type ProxyScene, startProxyScene } from './support/proxy-scene';
import { ADMIN_PASSWORD, startTestService } from './support/test-service';

/** The provider's access-token lifetime, under the default 60-second refresh margin. */
const TTL_SECONDS = 30;
const seconds = (n: number) => n * 1000;

/**
 * A margin longer than a token's lifetime would renew the token on every call. The margin
 * is capped at half the lifetime: calls in the first half use the token as it is.
 */
describe('30-second access tokens under a 60-second refresh margin', () => {
  describe("a user's connection", () => {
    let scene: ProxyScene;
    let obtainedAt: number;

    beforeAll(async () => {
      scene = await startProxyScene({ accessTokenTtlSeconds: TTL_SECONDS });
      obtainedAt = scene.service.clock.now;
      scene.provider.resetCounts();
    });
    afterAll(() => scene.stop());

    async function callAt(secondsAfterConnect: number) {
      scene.service.clock.now = obtainedAt + seconds(secondsAfterConnect);
      const response = await scene.proxied(`at-${secondsAfterConnect}`);
      expect(response.statusCode).toBe(200);
    }

    it('makes no token request for calls within the first half of the lifetime', async () => {
      for (const at of [0, 5, 10, 14]) await callAt(at);
      expect(scene.provider.counts.token).toBe(0);
    });

    it('refreshes once past half the lifetime, then uses the new token', async () => {
      await callAt(16);
      expect(scene.refreshes()).toBe(1);
      for (const at of [17, 25, 30]) await callAt(at);
      expect(scene.provider.counts.token).toBe(1);
    });
  });

  describe("a shared connector's client-credentials token", () => {
    const started: { stop(): Promise<void> }[] = [];
    let call: (path: string) => Promise<number>;
    let clock: { now: number };
    let counts: () => number;

    beforeAll(async () => {
      const provider = await startProvider('latchkey', { accessTokenTtlSeconds: TTL_SECONDS });
      const api = await startResourceApi({ provider });
      const service = await startTestService({ LATCHKEY_JOBS_ENABLED: 'false' });
      started.push(service, api, provider);
      clock = service.clock;
      counts = () => provider.counts.tokenByGrant.client_credentials ?? 0;
      const admin = await service.login('admin', ADMIN_PASSWORD);
      const created = await service.request({
        method: 'POST',
        url: '/api/connectors',
        cookie: admin,
        body: {
          name: 'Shared short-lived',
          authMode: 'shared',
          config: {
            credentialType: 'client_credentials',
            tokenUrl: provider.tokenEndpoint,
            clientId: 'latchkey',
            scope: 'read',
            apiBaseUrl: `${api.url}/`,
          },
          secrets: { clientSecret: PROVIDER_CLIENT_SECRET },
        },
      });
      expect(created.statusCode).toBe(201);
      const { key } = await createApiKey(service, ['proxy']);
      call = async (path) =>
        (
          await service.request({
            method: 'GET',
            url: `/api/connectors/${created.json().id}/proxy/${path}`,
            headers: { authorization: `ApiKey ${key}` },
          })
        ).statusCode;
    });
    afterAll(async () => {
      for (const part of started) await part.stop();
    });

    it('requests one token for calls within the first half of its lifetime, a second after', async () => {
      const obtainedAt = clock.now;
      const statuses: number[] = [];
      for (const at of [0, 5, 10, 14]) {
        clock.now = obtainedAt + seconds(at);
        statuses.push(await call(`at-${at}`));
      }
      expect(counts()).toBe(1);

      for (const at of [16, 20, 29]) {
        clock.now = obtainedAt + seconds(at);
        statuses.push(await call(`at-${at}`));
      }
      expect(statuses).toEqual(Array(7).fill(200));
      expect(counts()).toBe(2);
    });
  });
});
