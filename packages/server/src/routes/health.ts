import { LatchkeyError } from '@latchkey/core';
import { z } from 'zod';
import { failureSummary } from '../logger';
import { type RegisterRoute, typed } from './route';

const statusSchema = z.object({ status: z.literal('ok') });

/** Liveness: the process answers. */
export const registerHealthz: RegisterRoute = (app) => {
  typed(app).get('/healthz', {
    schema: { tags: ['operations'], response: { 200: statusSchema } },
    handler: async () => ({ status: 'ok' as const }),
  });
};

/** Readiness: the database answers too. */
export const registerReadyz: RegisterRoute = (app, deps) => {
  typed(app).get('/readyz', {
    schema: { tags: ['operations'], response: { 200: statusSchema } },
    handler: async (request) => {
      try {
        await deps.store.ping();
      } catch (error) {
        request.log.warn({ failure: failureSummary(error) }, 'database not reachable');
        throw new LatchkeyError('service_unavailable');
      }
      return { status: 'ok' as const };
    },
  });
};
