import { startAuthorizationFlow } from '@latchkey/core';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ensureBrowserBinding } from '../../../oauth/browser-binding';
import { OAUTH_BEGIN_PATH } from '../../../oauth/paths';
import { clientAddressKey } from '../../../plugins/client-address';
import { connectionOwner } from '../../../plugins/connect-session-auth';
import { createRateLimitCheck } from '../../../plugins/rate-limits';
import { idParamsSchema, type RegisterRoute, typed } from '../../route';

// No length limit here: checkReturnUrl owns every return URL rule, so that an over-long one
// gets the same `invalid_return_url` as any other refused value.
const bodySchema = z.strictObject({ returnUrl: z.string().optional() }).optional();

/**
 * A connect session's start from an app's page on another site: the browser drops a Lax
 * cookie set by this response, so the flow waits to be bound by a first-party navigation.
 * A missing header (older browsers, non-browser clients) keeps the cookie flow.
 */
function isCrossSiteSessionStart(request: FastifyRequest): boolean {
  return request.connectSession !== undefined && request.headers['sec-fetch-site'] === 'cross-site';
}

function beginUrl(publicBaseUrl: string, state: string, begin: string): string {
  const url = new URL(`${publicBaseUrl}${OAUTH_BEGIN_PATH}`);
  url.search = new URLSearchParams({ state, begin }).toString();
  return url.toString();
}

export const registerStartOAuthFlow: RegisterRoute = (app, deps) => {
  const limit = createRateLimitCheck(app, {
    name: 'oauth-start',
    max: deps.config.oauthStartLimitPerHour,
    windowSeconds: 3600,
    // An end user's starts count as a user's do, whichever of their sessions made them.
    key: (request) =>
      request.connectSession
        ? `end-user:${request.connectSession.externalId}`
        : (request.user?.id ?? clientAddressKey(request)),
  });
  typed(app).post('/api/connectors/:id/_start_oauth_flow', {
    schema: {
      tags: ['oauth'],
      params: idParamsSchema,
      body: bodySchema,
      response: { 200: z.object({ authorizationUrl: z.string(), state: z.string() }) },
    },
    handler: async (request, reply) => {
      const owner = await connectionOwner(deps, request, request.params.id);
      await limit(request, reply);
      const crossSite = isCrossSiteSessionStart(request);
      const flow = await startAuthorizationFlow(deps, {
        connectorId: request.params.id,
        ...owner,
        ...(crossSite ? {} : { browserBinding: ensureBrowserBinding(deps.config, request, reply) }),
        ...(request.body?.returnUrl ? { returnUrl: request.body.returnUrl } : {}),
      });
      reply.header('cache-control', 'no-store');
      return {
        authorizationUrl: flow.begin
          ? beginUrl(deps.config.publicBaseUrl, flow.state, flow.begin)
          : flow.authorizationUrl,
        state: flow.state,
      };
    },
  });
};
