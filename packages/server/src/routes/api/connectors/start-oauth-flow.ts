import { startAuthorizationFlow } from '@latchkey/core';
import { z } from 'zod';
import { ensureBrowserBinding } from '../../../oauth/browser-binding';
import { clientAddressKey } from '../../../plugins/client-address';
import { connectionOwner } from '../../../plugins/connect-session-auth';
import { createRateLimitCheck } from '../../../plugins/rate-limits';
import { idParamsSchema, type RegisterRoute, typed } from '../../route';

// No length limit here: checkReturnUrl owns every return URL rule, so that an over-long one
// gets the same `invalid_return_url` as any other refused value.
const bodySchema = z.strictObject({ returnUrl: z.string().optional() }).optional();

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
      const flow = await startAuthorizationFlow(deps, {
        connectorId: request.params.id,
        ...owner,
        browserBinding: ensureBrowserBinding(deps.config, request, reply),
        ...(request.body?.returnUrl ? { returnUrl: request.body.returnUrl } : {}),
      });
      reply.header('cache-control', 'no-store');
      return flow;
    },
  });
};
