import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { RateLimitStore } from './rate-limit-store';

/**
 * Puts our store behind @fastify/rate-limit, so every limit it creates (each already named
 * in its key) counts where the store counts. The store never fails: it falls back instead.
 */
export function asPluginStore(store: RateLimitStore): FastifyRateLimitStoreCtor {
  return class PluginStore implements FastifyRateLimitStore {
    incr: FastifyRateLimitStore['incr'] = (key, callback, timeWindow) => {
      store.increment(key, timeWindow).then(
        ({ current, ttlMs }) => callback(null, { current, ttl: ttlMs }),
        (error: Error) => callback(error),
      );
    };

    child(): FastifyRateLimitStore {
      return this;
    }
  };
}
