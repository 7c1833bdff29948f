import type { Logger } from 'pino';
import type { Config } from '../config';
import { type Count, createLocalCounters } from './local-counters';
import { connectRedisCounters } from './redis-counters';
import { createRedisGuard } from './redis-guard';

/** Where the counters of the rate limits live, as `/readyz` reports it. */
export const RATE_LIMIT_STORE_STATES = ['ok', 'unreachable', 'not_configured'] as const;
export type RateLimitStoreState = (typeof RATE_LIMIT_STORE_STATES)[number];

export interface RateLimitStore {
  /** Counts one hit of `key` in its window: in Redis, or here while Redis does not answer. */
  increment(key: string, windowMs: number): Promise<Count>;
  /**
   * True while Redis is configured but not answering, so every instance counts on its own.
   * A metrics gauge reads this.
   */
  isDegraded(): boolean;
  /** Asks Redis now (for `/readyz`), and updates what `isDegraded` says. */
  check(): Promise<RateLimitStoreState>;
  close(): void;
}

const KEY_NAMESPACE = 'rate-limit:';

/**
 * The counters behind every rate limit: shared through Redis when `LATCHKEY_REDIS_URL` is
 * set, per instance otherwise or while Redis does not answer (never no limit at all: cutting
 * an instance off from Redis must not open the door to password guessing). Waits for Redis's
 * first answer or failure, so an instance starts out sharing; a Redis that is away never
 * stops the start.
 */
export async function openRateLimitStore(config: Config, logger: Logger): Promise<RateLimitStore> {
  const local = createLocalCounters();
  if (config.redisUrl === undefined) {
    return {
      increment: async (key, windowMs) => local.increment(key, windowMs),
      isDegraded: () => false,
      check: async () => 'not_configured',
      close: () => {},
    };
  }
  const redis = await connectRedisCounters(
    config.redisUrl,
    `${config.redisPrefix}${KEY_NAMESPACE}`,
  );
  const guard = createRedisGuard(logger);
  redis.watch({ ready: guard.answered, error: guard.failed });
  await redis.firstAttempt;
  return {
    async increment(key, windowMs) {
      const here = local.increment(key, windowMs);
      return (await guard.ask(() => redis.increment(key, windowMs))) ?? here;
    },
    isDegraded: guard.isDegraded,
    async check() {
      try {
        await redis.ping();
        guard.answered();
        return 'ok';
      } catch (error) {
        guard.failed(error);
        return 'unreachable';
      }
    },
    close: () => redis.close(),
  };
}
