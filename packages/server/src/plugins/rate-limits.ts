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

/**
 * A named limit a handler calls as one of its steps (login checks two: per account and per
 * address). Counters live in the rate-limit store: in Redis when shared, else per instance.
 */
export function createRateLimitCheck(app: FastifyInstance, spec: RateLimitSpec): RateLimitCheck {
  const check = app.createRateLimit({
    max: spec.max,
    timeWindow: spec.windowSeconds * 1000,
    keyGenerator: (request) => `${spec.name}:${spec.key(request)}`,
  });
  return async (request, reply) => {
    const result = await check(request);
    if (result.isAllowed || !result.isExceeded) return;
    reply.header('retry-after', String(result.ttlInSeconds));
    throw new LatchkeyError('rate_limited');
  };
}
