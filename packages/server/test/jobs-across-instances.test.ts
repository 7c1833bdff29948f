import { setTimeout as sleep } from 'node:timers/promises';
import type { TestProvider } from '@latchkey/testing';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatedForwarder, startGatedForwarder } from './support/gated-forwarder';
import {
  activeAt,
  connectedTokens,
  providerConnectorBody,
  startOAuthService,
  startProvider,
} from './support/oauth-harness';
import type { TestService } from './support/test-service';

/**
 * How long the first run's revocation is held at the provider's door: ample time for the
 * other instance's run to send the same revocations if nothing stopped it.
 */
const HOLD_MS = 300;
const DAY_MS = 86_400_000;
/** The runner renews a running job's lease every second. */
const RENEWAL_WAIT_MS = 1500;

/** This instance's `latchkey_job_runs_total` for one job, by outcome. */
async function jobRuns(service: TestService, job: string): Promise<Record<string, number>> {
  const metric = service.deps.metrics.registry.getSingleMetric('latchkey_job_runs_total');
  const values = (await metric?.get())?.values ?? [];
  return Object.fromEntries(
    values.filter((v) => v.labels.job === job).map((v) => [String(v.labels.outcome), v.value]),
  );
}

/**
 * Two instances on one PostgreSQL database, each with its own store and job runner: only
 * the job's lease in the database keeps them from running one job twice at once.
 */
describe('background jobs across two instances on one PostgreSQL database', () => {
  let database: TestPostgresDatabase;
  let provider: TestProvider;
  let gate: GatedForwarder;
  let first: TestService;
  let second: TestService;

  beforeAll(async () => {
    database = await createTestPostgresDatabase();
    provider = await startProvider();
    gate = await startGatedForwarder(provider.revocationEndpoint);
    const env = { LATCHKEY_DATABASE_URL: database.url };
    [first, second] = await Promise.all([startOAuthService(env), startOAuthService(env)]);
    // Two services start here: slow on a busy machine.
  }, 60_000);
  afterAll(async () => {
    gate?.release();
    await second?.stop({ keepData: true });
    await first?.stop({ keepData: true });
    await gate?.stop();
    await provider?.stop();
    await database?.drop();
  });

  /**
   * Connects a user to a connector that revokes through `revocations`, then deletes the user:
   * both tokens are queued for the retry job, and nothing is sent yet.
   */
  async function queueTwoRevocations(revocations: GatedForwarder): Promise<string[]> {
    const body = providerConnectorBody(provider);
    const created = await first.asAdmin({
      method: 'POST',
      url: '/api/connectors',
      body: { ...body, config: { ...body.config, revocationUrl: revocations.url } },
    });
    const user = await first.sessionFor('viewer');
    const tokens = await connectedTokens(first, user, created.json().id);
    const deleted = await first.asAdmin({ method: 'DELETE', url: `/api/users/${user.userId}` });
    expect(deleted.statusCode).toBe(204);
    expect(revocations.received()).toBe(0);
    second.clock.now = first.clock.now;
    provider.resetCounts();
    return tokens;
  }

  it('revokes each queued token once when both run the retry job at the same moment', async () => {
    const tokens = await queueTwoRevocations(gate);

    const runs = Promise.all([first, second].map((s) => s.jobs.runNow('revocation-retries')));
    await gate.arrived;
    await sleep(HOLD_MS);
    // Only the lease holder's first revocation has reached the gate.
    expect(gate.received()).toBe(1);
    gate.release();
    const ran = await runs;

    expect(ran.filter(Boolean)).toHaveLength(1);
    expect(gate.received()).toBe(2);
    expect(provider.counts.revocation).toBe(2);
    expect(await activeAt(provider, tokens)).toEqual([false, false]);
    const outcomes = [
      await jobRuns(first, 'revocation-retries'),
      await jobRuns(second, 'revocation-retries'),
    ];
    expect(outcomes.map((o) => o.succeeded ?? 0).reduce((a, b) => a + b)).toBe(1);
    expect(outcomes.map((o) => o.skipped ?? 0).reduce((a, b) => a + b)).toBe(1);
    expect(await first.deps.store.pendingRevocations.due(first.clock.now, 10)).toEqual([]);
  });

  it('keeps the job lease through a run that outlives its first term', async () => {
    const slowGate = await startGatedForwarder(provider.revocationEndpoint);
    try {
      const tokens = await queueTwoRevocations(slowGate);
      const firstRun = first.jobs.runNow('revocation-retries');
      await slowGate.arrived;
      // Far past any lease term on both clocks, then time for the runner to renew.
      first.clock.now += DAY_MS;
      second.clock.now = first.clock.now;
      await sleep(RENEWAL_WAIT_MS);

      const secondRun = second.jobs.runNow('revocation-retries');
      await sleep(HOLD_MS);
      expect(slowGate.received()).toBe(1);
      slowGate.release();

      expect(await Promise.all([firstRun, secondRun])).toEqual([true, false]);
      expect(slowGate.received()).toBe(2);
      expect(provider.counts.revocation).toBe(2);
      expect(await activeAt(provider, tokens)).toEqual([false, false]);
    } finally {
      slowGate.release();
      await slowGate.stop();
    }
  });
});
