import { setTimeout as sleep } from 'node:timers/promises';
import type { TestProvider } from '@latchkey/testing';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import {
  connect,
  createProviderConnector,
  providerConnectorBody,
  startOAuthService,
  startProvider,
  statusOf,
  type UserSession,
} from './support/oauth-harness';
import type { TestService } from './support/test-service';

/** What docs/operations.md promises for another instance's write to a cached row. */
const CACHE_BOUND_MS = 2000;
const POLL_MS = 50;
/** How long answers are still watched after the bound, to catch a flip back. */
const WATCH_MS = 500;

interface Poll<T> {
  /** When the request was sent, counted from the write's answer (after its commit). */
  sentAfterMs: number;
  value: T;
}

/** Asks `answer` every 50 ms, from just after a write until past the bound, one at a time. */
async function pollPastBound<T>(answer: () => Promise<T>): Promise<Poll<T>[]> {
  const start = performance.now();
  const polls: Poll<T>[] = [];
  while (performance.now() - start < CACHE_BOUND_MS + WATCH_MS) {
    const sentAfterMs = performance.now() - start;
    polls.push({ sentAfterMs, value: await answer() });
    await sleep(POLL_MS);
  }
  return polls;
}

/**
 * The write showed by the bound and never un-showed: every request sent more than the
 * bound after the write's commit saw it, and none after the first that saw it missed it.
 */
function expectSeenWithinBound<T>(polls: Poll<T>[], changed: (value: T) => boolean) {
  const late = polls.filter((p) => p.sentAfterMs > CACHE_BOUND_MS);
  expect(late.length).toBeGreaterThan(0);
  expect(late.filter((p) => !changed(p.value))).toEqual([]);
  const first = polls.findIndex((p) => changed(p.value));
  expect(polls.slice(first).filter((p) => !changed(p.value))).toEqual([]);
}

/**
 * Two instances on one PostgreSQL database, each with its own store and read caches: what
 * one writes, the other sees within the documented bound, and never un-sees.
 */
describe('read caches across two instances on one PostgreSQL database', () => {
  let database: TestPostgresDatabase;
  let provider: TestProvider;
  let first: TestService;
  let second: TestService;
  let connectorId: string;
  let user: UserSession;

  beforeAll(async () => {
    database = await createTestPostgresDatabase();
    provider = await startProvider();
    const env = { LATCHKEY_DATABASE_URL: database.url };
    [first, second] = await Promise.all([startOAuthService(env), startOAuthService(env)]);
    connectorId = await createProviderConnector(first, provider);
    user = await first.sessionFor('viewer');
    await connect(first, user.cookie, connectorId);
    // Two services start here: slow on a busy machine.
  }, 60_000);
  afterAll(async () => {
    await second?.stop({ keepData: true });
    await first?.stop({ keepData: true });
    await provider?.stop();
    await database?.drop();
  });

  function tokenCall(service: TestService, key: string, userId = user.userId) {
    return service.request({
      method: 'GET',
      url: `/api/connectors/${connectorId}/_token`,
      headers: { authorization: `ApiKey ${key}`, 'x-latchkey-user': userId },
    });
  }

  it('refuses on B, within 2 s and for good, an API key revoked on A', async () => {
    const { key, id } = await createApiKey(first, ['tokens:read', 'on_behalf']);
    // B has the live key in its cache.
    expect((await tokenCall(second, key)).statusCode).toBe(200);
    const revoked = await first.asAdmin({ method: 'DELETE', url: `/api/api_keys/${id}` });
    expect(revoked.statusCode).toBe(204);
    expect((await tokenCall(first, key)).statusCode).toBe(401);

    const polls = await pollPastBound(async () => (await tokenCall(second, key)).statusCode);
    expectSeenWithinBound(polls, (status) => status === 401);
  });

  it('refuses on B at once the session of a user deleted on A, and calls on their behalf', async () => {
    const doomed = await first.sessionFor('viewer');
    const { key } = await createApiKey(first, ['tokens:read', 'on_behalf'], 'on-behalf-key');
    const me = () => second.request({ method: 'GET', url: '/api/auth/me', cookie: doomed.cookie });
    expect((await me()).statusCode).toBe(200);
    expect((await tokenCall(second, key, doomed.userId)).statusCode).not.toBe(401);

    const deleted = await first.asAdmin({ method: 'DELETE', url: `/api/users/${doomed.userId}` });
    expect(deleted.statusCode).toBe(204);

    expect((await me()).statusCode).toBe(401);
    const onBehalf = await tokenCall(second, key, doomed.userId);
    expect(onBehalf.statusCode).toBe(404);
    expect(onBehalf.json().error.code).toBe('user_not_found');
  });

  it('shows on B, within 2 s and for good, a connector changed on A', async () => {
    const body = providerConnectorBody(provider, { name: 'Before' });
    const created = await first.asAdmin({ method: 'POST', url: '/api/connectors', body });
    const id = created.json().id as string;
    const nameOnSecond = async () =>
      (
        await second.request({ method: 'GET', url: `/api/connectors/${id}`, cookie: user.cookie })
      ).json().name as string;
    expect(await nameOnSecond()).toBe('Before');

    const updated = await first.asAdmin({
      method: 'PUT',
      url: `/api/connectors/${id}`,
      body: { ...body, name: 'After' },
    });
    expect(updated.statusCode).toBe(200);

    const polls = await pollPastBound(nameOnSecond);
    expectSeenWithinBound(polls, (name) => name === 'After');
  });

  it('answers on B at once that a connection disconnected on A is gone', async () => {
    const { key } = await createApiKey(first, ['tokens:read', 'on_behalf'], 'disconnect-key');
    expect((await tokenCall(second, key)).statusCode).toBe(200);
    expect(await statusOf(second, user.cookie, connectorId)).toBe('connected');

    const disconnected = await first.request({
      method: 'POST',
      url: `/api/connectors/${connectorId}/_oauth_disconnect`,
      cookie: user.cookie,
      body: {},
    });
    expect(disconnected.statusCode).toBe(204);

    expect(await statusOf(second, user.cookie, connectorId)).toBe('not_connected');
    const token = await tokenCall(second, key);
    expect(token.statusCode).not.toBe(200);
    expect(token.body).not.toContain('accessToken');
  });
});
