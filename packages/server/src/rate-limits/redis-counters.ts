import type { Result } from 'ioredis';
import type { Count } from './local-counters';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    incrementWindow(key: string, windowMs: number): Result<[number, number], Context>;
  }
}

/**
 * One fixed window per key, as @fastify/rate-limit's Redis store counts: the first hit sets
 * the expiry. A key found without one (an expiry lost to a failover) gets a new window.
 */
const INCREMENT_WINDOW = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {current, ttl}
`;

/** A command that gets no answer in this time fails, and the request falls back. */
const COMMAND_TIMEOUT_MS = 500;
const CONNECT_TIMEOUT_MS = 2000;
const MAX_RECONNECT_DELAY_MS = 2000;

export interface RedisCounters {
  increment(key: string, windowMs: number): Promise<Count>;
  ping(): Promise<void>;
  /** Resolves once connected, or once the first attempt failed or timed out. */
  firstAttempt: Promise<void>;
  /** Hears each (re)connection that succeeds, and each failure of the connection. */
  watch(listeners: { ready(): void; error(error: Error): void }): void;
  close(): void;
}

/**
 * Counters in Redis under `prefix`, failing fast while Redis is away: no offline queue, no
 * retried commands, a short command timeout. Reconnection goes on in the background. `ioredis`
 * is loaded here, not with the module: an instance without Redis never holds it in memory.
 */
export async function connectRedisCounters(url: string, prefix: string): Promise<RedisCounters> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    keyPrefix: prefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: (attempts) => Math.min(attempts * 100, MAX_RECONNECT_DELAY_MS),
  });
  client.defineCommand('incrementWindow', { numberOfKeys: 1, lua: INCREMENT_WINDOW });
  const firstAttempt = new Promise<void>((resolve) => {
    client.once('ready', resolve);
    client.once('error', () => resolve());
    setTimeout(resolve, CONNECT_TIMEOUT_MS).unref();
  });
  return {
    async increment(key, windowMs) {
      const [current, ttlMs] = await client.incrementWindow(key, windowMs);
      return { current, ttlMs };
    },
    async ping() {
      await client.ping();
    },
    firstAttempt,
    watch(listeners) {
      client.on('ready', listeners.ready);
      client.on('error', listeners.error);
    },
    close: () => client.disconnect(),
  };
}
