import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';

/** A route module registers exactly one route. */
export type RegisterRoute = (app: FastifyInstance, deps: AppDeps) => void;

export function typed(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}

export const idParamsSchema = z.strictObject({ id: z.string().min(1).max(128) });
export const emptyBodySchema = z.strictObject({}).optional();
