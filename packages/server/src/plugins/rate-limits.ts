import { LatchkeyError } from '@latchkey/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface RateLimitSpec {
  /** Names the limit in its key, so two limits never share counters. */
  name: string;
  max: number;
  windowSeconds: number;
  key: (request: FastifyRequest) => string;
}

export type RateLimitCheck = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** One named limit, for the steps that refuse past it and those that only do less. */
export interface RateLimit {
  /** Counts the request; past the limit, `429 rate_limited` with `Retry-After`. */
  check: RateLimitCheck;
  /** Counts the request and answers whether it is within the limit; refuses nothing. */
  allows(request: FastifyRequest): Promise<boolean>;
}

/**
 * A named limit a handler calls as one of its steps (login checks two: per account and per
 * address). Counters live in the rate-limit store: in Redis when shared, else per instance.
 */
export function createRateLimit(app: FastifyInstance, spec: RateLimitSpec): RateLimit {
  const count = app.createRateLimit({
    max: spec.max,
    timeWindow: spec.windowSeconds * 1000,
    keyGenerator: (request) => `${spec.name}:${spec.key(request)}`,
  });
  /** Seconds until the window ends when this request is past the limit, else undefined. */
  const overLimit = async (request: FastifyRequest) => {
    const result = await count(request);
    return result.isAllowed || !result.isExceeded ? undefined : result.ttlInSeconds;
  };
  return {
    async check(request, reply) {
      const retryAfterSeconds = await overLimit(request);
      if (retryAfterSeconds === undefined) return;
      reply.header('retry-after', String(retryAfterSeconds));
      throw new LatchkeyError('rate_limited');
    },
    allows: async (request) => (await overLimit(request)) === undefined,
  };
}

/** A limit whose only use is to refuse past it. */
export function createRateLimitCheck(app: FastifyInstance, spec: RateLimitSpec): RateLimitCheck {
  return createRateLimit(app, spec).check;
}
