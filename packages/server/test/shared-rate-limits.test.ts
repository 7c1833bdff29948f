import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { perUserConnectorBody } from './support/connector-bodies';
import {
  deleteRedisKeys,
  failedLogin,
  guessedCallback,
  REDIS_URL,
  runPrefix,
  statusesOf,
} from './support/limit-attempts';
import { startTestService, type TestService } from './support/test-service';

const RUN_PREFIX = runPrefix('shared-limits');

function sharedThrough(deployment: string): Record<string, string> {
  return {
    LATCHKEY_LOGIN_LIMIT_PER_ACCOUNT: '4',
    LATCHKEY_LOGIN_LIMIT_PER_ADDRESS: '1000',
    LATCHKEY_LOGIN_LIMIT_WINDOW_SECONDS: '120',
    LATCHKEY_OAUTH_START_LIMIT_PER_HOUR: '3',
    LATCHKEY_OAUTH_CALLBACK_LIMIT_PER_HOUR: '3',
    LATCHKEY_REDIS_URL: REDIS_URL,
    LATCHKEY_REDIS_PREFIX: `${RUN_PREFIX}-${deployment}:`,
  };
}

afterAll(() => deleteRedisKeys(RUN_PREFIX));

describe('rate limits shared by two instances through Redis', () => {
  let first: TestService;
  let second: TestService;
  beforeAll(async () => {
    first = await startTestService(sharedThrough('shared'));
    // The same SQLite file: sessions and connectors are the deployment's, as on PostgreSQL.
    second = await startTestService(sharedThrough('shared'), first.dataDir);
  });
  afterAll(async () => {
    await second.stop({ keepData: true });
    await first.stop();
  });

  it('limits logins to an account at exactly the configured count, over both instances', async () => {
    const statuses = await statusesOf(
      [first, second, first, second, first, second].map(
        (service) => () => failedLogin(service, 'victim'),
      ),
    );
    // Each instance counting alone would have seen 3 attempts, under its limit of 4.
    expect(statuses).toEqual([401, 401, 401, 401, 'rate_limited', 'rate_limited']);
  });

  it('limits OAuth flow starts per user over both instances', async () => {
    const created = await first.asAdmin({
      method: 'POST',
      url: '/api/connectors',
      body: perUserConnectorBody(),
    });
    const { cookie } = await first.sessionFor('viewer');
    const start = (service: TestService) => () =>
      service.request({
        method: 'POST',
        url: `/api/connectors/${created.json().id}/_start_oauth_flow`,
        cookie,
        body: {},
      });
    const statuses = await statusesOf([start(first), start(second), start(first), start(second)]);
    expect(statuses).toEqual([200, 200, 200, 'rate_limited']);
  });

  it('limits OAuth callbacks per address over both instances', async () => {
    const statuses = await statusesOf(
      [first, second, first, second].map((service) => () => guessedCallback(service)),
    );
    expect(statuses).toEqual([400, 400, 400, 'rate_limited']);
  });

  it('keeps its counters under the deployment prefix only', async () => {
    const redis = new Redis(REDIS_URL);
    try {
      const keys = await redis.keys(`${RUN_PREFIX}*login-account:victim`);
      expect(keys).toEqual([`${RUN_PREFIX}-shared:rate-limit:login-account:victim`]);
    } finally {
      redis.disconnect();
    }
  });

  it('shares no counter with a deployment under another prefix on the same Redis', async () => {
    const other = await startTestService(sharedThrough('other'));
    try {
      expect((await failedLogin(other, 'victim')).statusCode).toBe(401);
    } finally {
      await other.stop();
    }
  });

  it('reports Redis in /readyz', async () => {
    const response = await first.request({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'ok' } });
    expect(first.deps.rateLimitStore.isDegraded()).toBe(false);
  });
});
