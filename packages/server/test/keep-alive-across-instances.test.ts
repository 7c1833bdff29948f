import { setTimeout as sleep } from 'node:timers/promises';
import { keepConnectionsAlive } from '@latchkey/core';
import type { TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatedForwarder, startGatedForwarder } from './support/gated-forwarder';
import {
  connect,
  createProviderConnector,
  sessionsFor,
  startOAuthService,
  startProvider,
  type UserSession,
} from './support/oauth-harness';
import { startTestService, type TestService } from './support/test-service';

const DAY_MS = 86_400_000;
/** Refreshes are held this long at the provider's door: time for the other instance to try. */
const HOLD_MS = 300;
const NO_JITTER = { LATCHKEY_KEEP_ALIVE_JITTER_SECONDS: '0' };
const SETTINGS = { horizonMs: 0, concurrency: 4, jitterMs: 0, random: Math.random };

/**
 * Two instances on one database (PostgreSQL with `npm run test:postgres`) run the keep-alive
 * work at the same moment, past their job lease: the refresh lease and version check alone
 * keep each connection to one refresh.
 */
describe('keep-alive across two instances sharing a database', () => {
  let provider: TestProvider;
  let gate: GatedForwarder;
  let first: TestService;
  let second: TestService;
  let connectorId: string;
  let users: UserSession[];

  beforeAll(async () => {
    provider = await startProvider('latchkey', { accessTokenTtlSeconds: 10 * 86400 });
    gate = await startGatedForwarder(provider.tokenEndpoint, {
      holds: (form) => form.get('grant_type') === 'refresh_token',
    });
    first = await startOAuthService(NO_JITTER);
    connectorId = await createProviderConnector(first, provider, {
      tokenUrl: gate.url,
      keepAlive: { refreshTokenIdleDays: 2 },
    });
    users = await sessionsFor(first, 'viewer', 'viewer', 'viewer');
    for (const user of users) await connect(first, user.cookie, connectorId);
    second = await startTestService(
      { LATCHKEY_JOBS_ENABLED: 'false', ...NO_JITTER },
      first.dataDir,
    );
  }, 120_000);
  afterAll(async () => {
    gate.release();
    await second?.stop({ keepData: true });
    await first?.stop();
    await gate.stop();
    await provider.stop();
  });

  const versions = () =>
    Promise.all(
      users.map(async (user) => {
        const found = await first.deps.store.connections.find(connectorId, user.userId);
        return found?.version;
      }),
    );

  it('refreshes each due connection once, whichever instance gets to it', async () => {
    const later = first.clock.now + 1.5 * DAY_MS;
    first.clock.now = later;
    second.clock.now = later;
    const before = await versions();
    provider.resetCounts();

    const runs = [first, second].map((service) =>
      keepConnectionsAlive(service.deps, service.deps.accessTokens, SETTINGS),
    );
    await gate.arrived;
    await sleep(HOLD_MS);
    gate.release();
    const [byFirst, bySecond] = await Promise.all(runs);

    expect(provider.counts.tokenByGrant.refresh_token).toBe(3);
    expect((byFirst?.refreshed ?? 0) + (bySecond?.refreshed ?? 0)).toBe(3);
    expect((byFirst?.skipped ?? 0) + (bySecond?.skipped ?? 0)).toBe(3);
    expect(await versions()).toEqual(before.map((version) => (version ?? 0) + 1));
  });

  it('runs the job itself on one instance at a time', async () => {
    const later = first.clock.now + 1.5 * DAY_MS;
    first.clock.now = later;
    second.clock.now = later;
    provider.resetCounts();
    const ran = await Promise.all([first, second].map((s) => s.jobs.runNow('keep-alive')));
    expect(ran.filter(Boolean)).toHaveLength(1);
    expect(provider.counts.tokenByGrant.refresh_token).toBe(3);
  });
});
