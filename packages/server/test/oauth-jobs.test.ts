import { sha256 } from '@latchkey/core';
import type { TestProvider } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activeAt,
  connect,
  connectedTokens,
  createProviderConnector,
  PROVIDER_CLIENT_SECRET,
  sessionsFor,
  startFlow,
  startOAuthService,
  startProvider,
  type UserSession,
} from './support/oauth-harness';
import { countRows, pendingRevocationRows, revocationQueuedEvents } from './support/stored-state';
import type { TestService } from './support/test-service';

const STATE_TTL_SECONDS = 600;
const UNUSED_DAYS = 30;
const DAY_MS = 86_400_000;

/** The last "job finished" line a job logged, parsed. */
function lastRun(service: TestService, job: string): Record<string, unknown> | undefined {
  return service
    .logs()
    .split('\n')
    .filter((line) => line.includes('"job finished"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.job === job)
    .at(-1);
}

/** Background jobs, driven with `runNow` on the fake clock. */
describe('OAuth background jobs (real oidc-provider)', () => {
  let provider: TestProvider;
  let service: TestService;
  let connectorId: string;

  beforeAll(async () => {
    provider = await startProvider();
    service = await startOAuthService({
      LATCHKEY_OAUTH_STATE_TTL_SECONDS: String(STATE_TTL_SECONDS),
      LATCHKEY_UNUSED_CONNECTION_DAYS: String(UNUSED_DAYS),
    });
    connectorId = await createProviderConnector(service, provider);
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
  });

  it('expired-flows deletes expired flow rows only, and logs how many', async () => {
    const [user] = (await sessionsFor(service, 'viewer')) as [UserSession];
    await startFlow(service, user.cookie, connectorId);
    await startFlow(service, user.cookie, connectorId);
    service.clock.now += (STATE_TTL_SECONDS + 1) * 1000;
    const live = await startFlow(service, user.cookie, connectorId);
    expect(await countRows(service, 'oauth_states')).toBe(3);

    expect(await service.jobs.runNow('expired-flows')).toBe(true);

    expect(await countRows(service, 'oauth_states')).toBe(1);
    expect(await service.deps.store.oauthStates.find(sha256(live.state))).toBeDefined();
    expect(lastRun(service, 'expired-flows')).toMatchObject({ flowsDeleted: 2 });
  });

  it('unused-connections purges connections unused for the configured days, and logs how many', async () => {
    const [stale] = (await sessionsFor(service, 'viewer')) as [UserSession];
    await connect(service, stale.cookie, connectorId);
    service.clock.now += (UNUSED_DAYS - 1) * DAY_MS;
    // Sessions do not live for weeks: log in again at the new time.
    const [later] = (await sessionsFor(service, 'viewer')) as [UserSession];
    await connect(service, later.cookie, connectorId);

    await service.jobs.runNow('unused-connections');
    expect(await service.deps.store.connections.find(connectorId, stale.userId)).toBeDefined();
    expect(lastRun(service, 'unused-connections')).toMatchObject({ connectionsPurged: 0 });

    service.clock.now += 2 * DAY_MS;
    await service.jobs.runNow('unused-connections');

    expect(await service.deps.store.connections.find(connectorId, stale.userId)).toBeUndefined();
    expect(await service.deps.store.connections.find(connectorId, later.userId)).toBeDefined();
    expect(lastRun(service, 'unused-connections')).toMatchObject({ connectionsPurged: 1 });
  });
});

/** A purge is a disconnect nobody asked for: the tokens are revoked at the provider too. */
describe('unused-connections revokes what it purges (real oidc-provider)', () => {
  let provider: TestProvider;
  let service: TestService;
  let connectorId: string;

  beforeAll(async () => {
    provider = await startProvider();
    service = await startOAuthService({ LATCHKEY_UNUSED_CONNECTION_DAYS: String(UNUSED_DAYS) });
    connectorId = await createProviderConnector(service, provider);
  });
  afterAll(async () => {
    await service.stop();
    await provider.stop();
  });

  it('queues the purged tokens without calling the provider, and the retry job revokes them', async () => {
    const [stale] = (await sessionsFor(service, 'viewer')) as [UserSession];
    const staleTokens = await connectedTokens(service, stale, connectorId);
    service.clock.now += (UNUSED_DAYS + 1) * DAY_MS;
    const [fresh] = (await sessionsFor(service, 'viewer')) as [UserSession];
    const freshTokens = await connectedTokens(service, fresh, connectorId);
    provider.resetCounts();

    await service.jobs.runNow('unused-connections');

    expect(await service.deps.store.connections.find(connectorId, stale.userId)).toBeUndefined();
    expect(lastRun(service, 'unused-connections')).toMatchObject({
      connectionsPurged: 1,
      revocationsQueued: 2,
    });
    expect(provider.counts.revocation).toBe(0);
    const queued = await pendingRevocationRows(service, stale.userId);
    expect(queued.map((row) => [row.token_type_hint, row.attempts])).toEqual([
      ['access_token', 0],
      ['refresh_token', 0],
    ]);
    for (const row of queued) {
      expect(row.next_attempt_at).toBe(service.clock.now);
      for (const sealed of [row.token, row.client]) {
        expect(sealed).toMatch(/^lk1\./);
        for (const clear of [...staleTokens, PROVIDER_CLIENT_SECRET]) {
          expect(sealed).not.toContain(clear);
        }
      }
    }
    expect(await revocationQueuedEvents(service, stale.userId)).toEqual([
      { outcome: 'success', reason: 'unused', actorUserId: null, connectorId },
    ]);
    expect(await activeAt(provider, staleTokens)).toEqual([true, true]);

    await service.jobs.runNow('revocation-retries');

    expect(provider.counts.revocation).toBe(2);
    expect(await activeAt(provider, staleTokens)).toEqual([false, false]);
    expect(await pendingRevocationRows(service, stale.userId)).toEqual([]);
    expect(lastRun(service, 'revocation-retries')).toMatchObject({ revoked: 2, abandoned: 0 });
    // The connection still in use is neither deleted nor revoked.
    expect(await service.deps.store.connections.find(connectorId, fresh.userId)).toBeDefined();
    expect(await pendingRevocationRows(service, fresh.userId)).toEqual([]);
    expect(await revocationQueuedEvents(service, fresh.userId)).toEqual([]);
    expect(await activeAt(provider, freshTokens)).toEqual([true, true]);
    const logs = service.logs();
    for (const clear of [...staleTokens, PROVIDER_CLIENT_SECRET]) expect(logs).not.toContain(clear);
  });
});

describe('OAuth background jobs with the purge turned off', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startOAuthService({ LATCHKEY_UNUSED_CONNECTION_DAYS: '0' });
  });
  afterAll(async () => {
    await service.stop();
  });

  it('has no unused-connections job at all', async () => {
    await expect(service.jobs.runNow('unused-connections')).rejects.toThrow(/no job named/);
    expect(await service.jobs.runNow('expired-flows')).toBe(true);
  });
});
