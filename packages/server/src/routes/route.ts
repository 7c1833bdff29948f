import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';

/** A route module registers exactly one route. */
export type RegisterRoute = (app: FastifyInstance, deps: AppDeps) => void;

export function typed(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}

/** PostgreSQL refuses any statement with U+0000 in its text: such input is refused first. */
export const withoutNul = (schema: z.ZodString) =>
  schema.refine((value) => !value.includes('\u0000'), 'must not contain the character U+0000');

export const idParamsSchema = z.strictObject({ id: withoutNul(z.string().min(1).max(128)) });
export const emptyBodySchema = z.strictObject({}).optional();
