import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestService, type TestService } from './support/test-service';

const WINDOW_SECONDS = 120;

function attempt(service: TestService, username: string, password: string, address: string) {
  return service.request({
    method: 'POST',
    url: '/api/auth/login',
    body: { username, password },
    remoteAddress: address,
  });
}

function expectRateLimited(response: LightMyRequestResponse) {
  expect(response.statusCode).toBe(429);
  expect(response.json().error.code).toBe('rate_limited');
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
  expect(response.headers['set-cookie']).toBeUndefined();
}

describe('login rate limit per account', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({
      LATCHKEY_LOGIN_LIMIT_PER_ACCOUNT: '3',
      LATCHKEY_LOGIN_LIMIT_PER_ADDRESS: '1000',
      LATCHKEY_LOGIN_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
    });
    await service.sessionFor('viewer', 'victim');
  });
  afterAll(() => service.stop());

  it('answers 429 rate_limited with Retry-After after the configured count, from any address', async () => {
    // sessionFor already logged `victim` in once: two more attempts reach the limit of 3.
    for (const address of ['198.51.100.1', '198.51.100.2']) {
      const response = await attempt(service, 'victim', 'wrong-password-guess', address);
      expect(response.json().error.code).toBe('invalid_credentials');
    }
    expectRateLimited(await attempt(service, 'victim', 'victim-password', '198.51.100.3'));
    expectRateLimited(await attempt(service, 'VICTIM', 'wrong-password-guess', '198.51.100.4'));
  });

  it('leaves other accounts alone', async () => {
    const response = await attempt(service, 'admin', ADMIN_PASSWORD, '198.51.100.1');
    expect(response.statusCode).toBe(200);
  });
});

describe('login rate limit per address', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({
      LATCHKEY_LOGIN_LIMIT_PER_ACCOUNT: '1000',
      LATCHKEY_LOGIN_LIMIT_PER_ADDRESS: '4',
      LATCHKEY_LOGIN_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
    });
  });
  afterAll(() => service.stop());

  it('answers 429 rate_limited with Retry-After after the configured count, for any account', async () => {
    for (let i = 0; i < 4; i += 1) {
      const response = await attempt(service, `guess-${i}`, 'wrong-password-guess', '203.0.113.7');
      expect(response.json().error.code).toBe('invalid_credentials');
    }
    expectRateLimited(await attempt(service, 'guess-5', 'wrong-password-guess', '203.0.113.7'));
    expectRateLimited(await attempt(service, 'admin', ADMIN_PASSWORD, '203.0.113.7'));
  });

  it('leaves other addresses alone', async () => {
    const response = await attempt(service, 'admin', ADMIN_PASSWORD, '203.0.113.8');
    expect(response.statusCode).toBe(200);
    expect(response.headers['set-cookie']).toBeDefined();
  });
});

describe('login rate limit per address, for IPv6 and IPv4-mapped clients', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({
      LATCHKEY_LOGIN_LIMIT_PER_ACCOUNT: '1000',
      LATCHKEY_LOGIN_LIMIT_PER_ADDRESS: '2',
      LATCHKEY_LOGIN_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
    });
  });
  afterAll(() => service.stop());

  it('counts every address of an IPv6 /64 as one client', async () => {
    for (const address of ['2001:db8:7:1::1', '2001:db8:7:1:8000::2']) {
      const response = await attempt(service, 'guess', 'wrong-password-guess', address);
      expect(response.json().error.code).toBe('invalid_credentials');
    }
    expectRateLimited(await attempt(service, 'admin', ADMIN_PASSWORD, '2001:db8:7:1:ffff::3'));
    const nextNetwork = await attempt(service, 'admin', ADMIN_PASSWORD, '2001:db8:7:2::1');
    expect(nextNetwork.statusCode).toBe(200);
  });

  it('counts an IPv4 address written IPv4-mapped as that IPv4 address', async () => {
    for (const address of ['192.0.2.44', '::ffff:192.0.2.44']) {
      const response = await attempt(service, 'guess', 'wrong-password-guess', address);
      expect(response.json().error.code).toBe('invalid_credentials');
    }
    expectRateLimited(await attempt(service, 'admin', ADMIN_PASSWORD, '192.0.2.44'));
  });
});
