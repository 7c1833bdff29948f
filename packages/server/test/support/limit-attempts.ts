import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { TestService } from './test-service';

/** The machine's shared Redis; every key a test file writes starts with its `runPrefix`. */
export const REDIS_URL = 'redis://127.0.0.1:6379';

/** A key prefix of this run and file alone: counters never leak between runs. */
export function runPrefix(name: string): string {
  return `latchkey-test-${name}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under `prefix` (test runs must not leave counters behind). */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

export function failedLogin(service: TestService, username: string) {
  return service.request({
    method: 'POST',
    url: '/api/auth/login',
    body: { username, password: 'wrong-password-guess' },
    remoteAddress: '198.51.100.20',
  });
}

/** A callback for a flow nobody started: refused (400) without asking any provider. */
export function guessedCallback(service: TestService) {
  return service.request({
    method: 'GET',
    url: '/api/connectors/_oauth_callback?code=guessed-code&state=guessed-state',
    remoteAddress: '198.51.100.30',
  });
}

/** The status of each answer, in order, with `429` shown as `rate_limited`. */
export async function statusesOf(
  attempts: (() => Promise<{ statusCode: number }>)[],
): Promise<(number | 'rate_limited')[]> {
  const statuses: (number | 'rate_limited')[] = [];
  for (const attempt of attempts) {
    const { statusCode } = await attempt();
    statuses.push(statusCode === 429 ? 'rate_limited' : statusCode);
  }
  return statuses;
}
