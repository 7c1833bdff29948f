import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { probeScrypt, scryptProbe } from './support/scrypt-probe';
import { ADMIN_PASSWORD, startTestService, type TestService } from './support/test-service';

vi.mock('node:crypto', async (original) => probeScrypt(await original()));

const CONCURRENCY = 2;
const QUEUE_SIZE = 1;

function login(service: TestService, username: string, password: string, address: string) {
  return service.request({
    method: 'POST',
    url: '/api/auth/login',
    body: { username, password },
    remoteAddress: address,
  });
}

function expectBusy(response: LightMyRequestResponse) {
  expect(response.statusCode).toBe(503);
  expect(response.json().error.code).toBe('server_busy');
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  expect(response.headers['set-cookie']).toBeUndefined();
}

/** Starts `count` requests at once; `settled` lists the answers as they arrive. */
function burst(count: number, send: (i: number) => Promise<LightMyRequestResponse>) {
  const settled: LightMyRequestResponse[] = [];
  const all = Promise.all(
    Array.from({ length: count }, (_, i) =>
      send(i).then((response) => {
        settled.push(response);
        return response;
      }),
    ),
  );
  return { settled, all };
}

describe('password hashing under a flood of logins', () => {
  let service: TestService;
  let admin: string;
  let viewer: { cookie: string; userId: string };
  beforeAll(async () => {
    service = await startTestService({
      LATCHKEY_PASSWORD_HASH_CONCURRENCY: String(CONCURRENCY),
      LATCHKEY_PASSWORD_HASH_QUEUE_SIZE: String(QUEUE_SIZE),
      LATCHKEY_LOGIN_LIMIT_PER_ADDRESS: '1000',
    });
    admin = await service.login('admin', ADMIN_PASSWORD);
    viewer = await service.sessionFor('viewer', 'steady');
  });
  afterAll(async () => {
    scryptProbe.release();
    await service?.stop();
  });

  it('runs at most the configured scrypt calls at once and answers the overflow 503 server_busy with Retry-After', async () => {
    // Each login names its own made-up user from its own address: no rate limit applies.
    scryptProbe.hold();
    scryptProbe.resetPeak();
    const flood = burst(12, (i) => login(service, `nobody-${i}`, 'guess', `198.51.100.${i + 1}`));
    const refusedCount = 12 - CONCURRENCY - QUEUE_SIZE;
    await vi.waitFor(() => expect(flood.settled.length).toBe(refusedCount), { timeout: 5000 });
    for (const response of flood.settled) expectBusy(response);
    expect(scryptProbe.running).toBe(CONCURRENCY);
    scryptProbe.release();

    const answers = await flood.all;
    const statuses = answers.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 401)).toHaveLength(CONCURRENCY + QUEUE_SIZE);
    expect(statuses.filter((status) => status === 503)).toHaveLength(refusedCount);
    expect(scryptProbe.peak).toBe(CONCURRENCY);
    // Once the flood has drained, a real user logs in as usual.
    expect((await login(service, 'admin', ADMIN_PASSWORD, '203.0.113.1')).statusCode).toBe(200);
  });

  it('refuses to create a user or change a password while full, and changes nothing', async () => {
    scryptProbe.hold();
    const flood = burst(CONCURRENCY + QUEUE_SIZE + 1, (i) =>
      login(service, `nobody-${i}`, 'guess', `198.51.100.${i + 101}`),
    );
    await vi.waitFor(() => expect(flood.settled.length).toBe(1), { timeout: 5000 });

    const created = await service.request({
      method: 'POST',
      url: '/api/users',
      cookie: admin,
      body: { username: 'latecomer', password: 'latecomer-password', role: 'viewer' },
    });
    const changed = await service.request({
      method: 'PATCH',
      url: `/api/users/${viewer.userId}`,
      cookie: admin,
      body: { password: 'replaced-password' },
    });
    expectBusy(created);
    expectBusy(changed);
    scryptProbe.release();
    await flood.all;

    expect(await service.deps.store.users.findByUsername('latecomer')).toBeUndefined();
    const me = await service.request({ method: 'GET', url: '/api/auth/me', cookie: viewer.cookie });
    expect(me.statusCode).toBe(200);
    expect((await login(service, 'steady', 'steady-password', '203.0.113.2')).statusCode).toBe(200);
  });
});
