import { setTimeout as sleep } from 'node:timers/promises';
import type { TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { type GatedForwarder, startGatedForwarder } from './support/gated-forwarder';
import {
  activeAt,
  connect,
  createProviderConnector,
  startOAuthService,
  startProvider,
  storedTokens,
  type UserSession,
} from './support/oauth-harness';
import { startTestService, type TestService } from './support/test-service';

const CALLS_PER_INSTANCE = 10;
/**
 * How long the first refresh is held at the provider's door: ample time for the other
 * instance to send its own if nothing stopped it (it polls the lease every 20 ms).
 */
const HOLD_MS = 300;

/**
 * Two Latchkey instances on one SQLite file, each with its own access-token service and so
 * its own in-process single flight: only the database lease (`locks/lease-lock.ts`) stands
 * between them and two refreshes of one connection (invariant 5).
 */
describe('token refresh across two instances sharing a database', () => {
  let provider: TestProvider;
  let gate: GatedForwarder;
  let first: TestService;
  let second: TestService;
  let connectorId: string;
  let user: UserSession;

  beforeAll(async () => {
    provider = await startProvider();
    gate = await startGatedForwarder(provider.tokenEndpoint, {
      holds: (form) => form.get('grant_type') === 'refresh_token',
    });
    first = await startOAuthService();
    connectorId = await createProviderConnector(first, provider, { tokenUrl: gate.url });
    user = await first.sessionFor('viewer');
    await connect(first, user.cookie, connectorId);
    second = await startTestService({ LATCHKEY_JOBS_ENABLED: 'false' }, first.dataDir);
  });
  afterAll(async () => {
    gate.release();
    await second?.stop({ keepData: true });
    await first?.stop();
    await gate.stop();
    await provider.stop();
  });

  it('refreshes an expired connection once, for concurrent calls through both instances', async () => {
    const original = await storedTokens(first, connectorId, user.userId);
    const { key } = await createApiKey(first, ['tokens:read', 'on_behalf']);
    const tokenCall = (service: TestService) =>
      service.request({
        method: 'GET',
        url: `/api/connectors/${connectorId}/_token`,
        headers: { authorization: `ApiKey ${key}`, 'x-latchkey-user': user.userId },
      });
    // One clock for both, past the access token's expiry: the lease's expiry is on it too.
    const later = first.clock.now + 2 * 3600 * 1000;
    first.clock.now = later;
    second.clock.now = later;
    provider.resetCounts();

    const calls = [first, second].map((service) =>
      Promise.all(Array.from({ length: CALLS_PER_INSTANCE }, () => tokenCall(service))),
    );
    await gate.arrived;
    await sleep(HOLD_MS);
    gate.release();
    const [throughFirst, throughSecond] = await Promise.all(calls);

    expect(provider.counts.tokenByGrant.refresh_token).toBe(1);
    for (const responses of [throughFirst, throughSecond]) {
      expect(responses?.map((r) => r.statusCode)).toEqual(Array(CALLS_PER_INSTANCE).fill(200));
    }
    const handedOut = new Set(
      [...(throughFirst ?? []), ...(throughSecond ?? [])].map((r) => r.json().accessToken),
    );
    expect(handedOut.size).toBe(1);
    const [accessToken] = handedOut;
    expect(accessToken).not.toBe(original?.accessToken);
    expect(await activeAt(provider, [accessToken])).toEqual([true]);
    const rotated = JSON.parse(gate.heldAnswers[0] as string).refresh_token as string;
    expect(rotated).not.toBe(original?.refreshToken);
    expect((await storedTokens(second, connectorId, user.userId))?.refreshToken).toBe(rotated);
    expect(await activeAt(provider, [rotated])).toEqual([true]);
  });
});
