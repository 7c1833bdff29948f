import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps';
import { createRateLimit, type RateLimit } from './rate-limits';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Connect sessions one API key may create per minute: those of `POST
     * /api/connect_sessions` and the links minted for 409s count together.
     */
    connectSessionLimit: RateLimit;
  }
}

export function registerConnectSessionLimit(app: FastifyInstance, deps: AppDeps) {
  app.decorate(
    'connectSessionLimit',
    createRateLimit(app, {
      name: 'connect-session-create',
      max: deps.config.connectSessionLimitPerMinute,
      windowSeconds: 60,
      key: (request) => request.apiKey?.id ?? 'none',
    }),
  );
}
