import { LatchkeyError } from '@latchkey/core';
import { z } from 'zod';
import { failureSummary } from '../logger';
import { RATE_LIMIT_STORE_STATES, type RateLimitStoreState } from '../rate-limits/rate-limit-store';
import { type RegisterRoute, typed } from './route';

const statusSchema = z.object({ status: z.literal('ok') });

/** Liveness: the process answers. */
export const registerHealthz: RegisterRoute = (app) => {
  typed(app).get('/healthz', {
    schema: { tags: ['operations'], response: { 200: statusSchema } },
    handler: async () => ({ status: 'ok' as const }),
  });
};

const readinessSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  checks: z.object({
    database: z.literal('ok'),
    redis: z.enum(RATE_LIMIT_STORE_STATES),
  }),
});

/**
 * Readiness: the database answers. Without it nothing works (503); without Redis the rate
 * limits count per instance, so the instance stays ready and says it is `degraded`.
 */
export const registerReadyz: RegisterRoute = (app, deps) => {
  typed(app).get('/readyz', {
    schema: { tags: ['operations'], response: { 200: readinessSchema } },
    handler: async (request) => {
      const redis = deps.rateLimitStore.check();
      try {
        await deps.store.ping();
      } catch (error) {
        request.log.warn({ failure: failureSummary(error) }, 'database not reachable');
        throw new LatchkeyError('service_unavailable');
      }
      return readiness(await redis);
    },
  });
};

function readiness(redis: RateLimitStoreState): z.output<typeof readinessSchema> {
  const status = redis === 'unreachable' ? 'degraded' : 'ok';
  return { status, checks: { database: 'ok', redis } };
}
