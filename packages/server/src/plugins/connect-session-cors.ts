import { LatchkeyError } from '@latchkey/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config';
import { CONNECT_SESSION_ROUTES, isConnectSessionRoute } from './connect-session-auth';

const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * CORS (Fetch standard) for the connect session's routes only, and only for the apps'
 * origins (`LATCHKEY_CONNECT_RETURN_ORIGINS`), so a headless page of theirs can call them
 * with its token. Every other route, and every other origin, gets no CORS header at all.
 * Credentials are allowed: the start sets the cookie that binds the flow to the browser.
 */
export function registerConnectSessionCors(
  app: FastifyInstance,
  config: Pick<Config, 'connectReturnOrigins'>,
) {
  const origins = new Set(config.connectReturnOrigins);
  // A callback hook, not an async one: one promise less per request.
  app.addHook('onRequest', function allowConnectSessionOrigin(request, reply, done) {
    const origin = allowedOrigin(request, origins);
    if (origin && isConnectSessionRoute(request)) allowOrigin(reply, origin);
    done();
  });
  for (const url of new Set(CONNECT_SESSION_ROUTES.map((route) => route.url))) {
    app.options(url, { schema: { hide: true } }, async (request, reply) => {
      const origin = allowedOrigin(request, origins);
      const method = request.headers['access-control-request-method'];
      const allowed = CONNECT_SESSION_ROUTES.some((r) => r.url === url && r.method === method);
      if (!origin || !allowed) throw new LatchkeyError('cross_site_request');
      allowOrigin(reply, origin);
      return reply
        .headers({
          'access-control-allow-methods': String(method),
          'access-control-allow-headers': 'authorization, content-type',
          'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
        })
        .status(204)
        .send();
    });
  }
}

function allowedOrigin(request: FastifyRequest, origins: Set<string>): string | undefined {
  const origin = request.headers.origin;
  return typeof origin === 'string' && origins.has(origin) ? origin : undefined;
}

function allowOrigin(reply: FastifyReply, origin: string) {
  reply.headers({
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    vary: 'Origin',
  });
}
