import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';

/** A route module registers exactly one route. */
export type RegisterRoute = (app: FastifyInstance, deps: AppDeps) => void;

export function typed(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}

export const errorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const idParamsSchema = z.strictObject({ id: z.string().min(1).max(128) });
export const emptyBodySchema = z.strictObject({}).optional();
