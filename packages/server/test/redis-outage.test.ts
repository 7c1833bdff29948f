import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  deleteRedisKeys,
  failedLogin,
  guessedCallback,
  runPrefix,
  statusesOf,
} from './support/limit-attempts';
import { startTcpSwitch, type TcpSwitch } from './support/tcp-switch';
import { ADMIN_PASSWORD, startTestService, type TestService } from './support/test-service';

const RUN_PREFIX = runPrefix('redis-outage');
const OUTAGE_WARNING = 'Redis is unreachable: rate limits are counted per instance';

function limitsSharedThrough(url: string): Record<string, string> {
  return {
    LATCHKEY_LOGIN_LIMIT_PER_ACCOUNT: '3',
    LATCHKEY_LOGIN_LIMIT_PER_ADDRESS: '1000',
    LATCHKEY_LOGIN_LIMIT_WINDOW_SECONDS: '120',
    LATCHKEY_OAUTH_CALLBACK_LIMIT_PER_HOUR: '3',
    LATCHKEY_REDIS_URL: url,
    LATCHKEY_REDIS_PREFIX: `${RUN_PREFIX}:`,
  };
}

function outageWarnings(service: TestService): number {
  return service
    .logs()
    .split('\n')
    .filter((line) => line.includes(OUTAGE_WARNING)).length;
}

async function readiness(service: TestService) {
  const response = await service.request({ method: 'GET', url: '/readyz' });
  return { statusCode: response.statusCode, body: response.json() };
}

afterAll(() => deleteRedisKeys(RUN_PREFIX));

describe('rate limits while Redis is unreachable, and after it is back', () => {
  let redisSwitch: TcpSwitch;
  let first: TestService;
  let second: TestService;
  beforeAll(async () => {
    // Between the instances and the machine's Redis: the test cuts this, never Redis itself.
    redisSwitch = await startTcpSwitch(6379);
    const env = limitsSharedThrough(`redis://127.0.0.1:${redisSwitch.port}`);
    first = await startTestService(env);
    second = await startTestService(env, first.dataDir);
  });
  afterAll(async () => {
    await second.stop({ keepData: true });
    await first.stop();
    await redisSwitch.stop();
  });

  it('keeps answering, each instance limiting logins on its own counters', async () => {
    await redisSwitch.set('off');
    const statuses = await statusesOf(
      [first, first, first, first, second, second, second, second].map(
        (service) => () => failedLogin(service, 'mallory'),
      ),
    );
    expect(statuses).toEqual([401, 401, 401, 'rate_limited', 401, 401, 401, 'rate_limited']);
  });

  it('warns once per instance for the outage, without the Redis URL, and says so in /readyz', async () => {
    expect(outageWarnings(first)).toBe(1);
    expect(outageWarnings(second)).toBe(1);
    expect(first.logs()).not.toContain('redis://');
    expect(await readiness(first)).toEqual({
      statusCode: 200,
      body: { status: 'degraded', checks: { database: 'ok', redis: 'unreachable' } },
    });
    expect(first.deps.rateLimitStore.isDegraded()).toBe(true);
    expect(outageWarnings(first)).toBe(1);
  });

  it('shares the counters again once Redis answers', async () => {
    await redisSwitch.set('on');
    for (const service of [first, second]) {
      await vi.waitFor(
        async () => expect((await readiness(service)).body.checks.redis).toBe('ok'),
        { timeout: 5000, interval: 100 },
      );
      expect(service.deps.rateLimitStore.isDegraded()).toBe(false);
      expect(service.logs()).toContain('Redis answers again');
    }
    const statuses = await statusesOf(
      [first, second, first, second].map((service) => () => failedLogin(service, 'trudy')),
    );
    expect(statuses).toEqual([401, 401, 401, 'rate_limited']);
  });

  it('waits at most the command timeout on a Redis that hangs, and only once a second', async () => {
    await redisSwitch.set('silent');
    const hung = performance.now();
    expect((await guessedCallback(first)).statusCode).toBe(400);
    expect(performance.now() - hung).toBeLessThan(1500);
    const next = performance.now();
    const statuses = await statusesOf([1, 2, 3].map(() => () => guessedCallback(first)));
    // Three requests in less than one command timeout (500 ms): none of them waited on Redis.
    expect(performance.now() - next).toBeLessThan(400);
    expect(statuses).toEqual([400, 400, 'rate_limited']);
    expect(outageWarnings(first)).toBe(2);
    await redisSwitch.set('off');
  });
});

describe('an instance whose Redis is away from the start', () => {
  let service: TestService;
  beforeAll(async () => {
    // Port 1 on loopback: nothing listens, every connection is refused.
    service = await startTestService(
      limitsSharedThrough('redis://latchkey:redis-secret-pw@127.0.0.1:1'),
    );
  });
  afterAll(() => service.stop());

  it('starts, serves logins and limits them per instance', async () => {
    await expect(service.login('admin', ADMIN_PASSWORD)).resolves.toContain('=');
    const statuses = await statusesOf([1, 2, 3, 4].map(() => () => failedLogin(service, 'eve')));
    expect(statuses).toEqual([401, 401, 401, 'rate_limited']);
    expect(outageWarnings(service)).toBe(1);
    expect(service.logs()).not.toContain('redis-secret-pw');
    expect((await readiness(service)).body).toEqual({
      status: 'degraded',
      checks: { database: 'ok', redis: 'unreachable' },
    });
  });
});
