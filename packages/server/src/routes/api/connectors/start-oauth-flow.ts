import { startAuthorizationFlow } from '@latchkey/core';
import { z } from 'zod';
import { ensureBrowserBinding } from '../../../oauth/browser-binding';
import { clientAddressKey } from '../../../plugins/client-address';
import { createRateLimitCheck } from '../../../plugins/rate-limits';
import { requirePrivilege } from '../../../plugins/sessions';
import { idParamsSchema, type RegisterRoute, typed } from '../../route';

// No length limit here: checkReturnUrl owns every return URL rule, so that an over-long one
// gets the same `invalid_return_url` as any other refused value.
const bodySchema = z.strictObject({ returnUrl: z.string().optional() }).optional();

export const registerStartOAuthFlow: RegisterRoute = (app, deps) => {
  const limit = createRateLimitCheck(app, {
    name: 'oauth-start',
    max: deps.config.oauthStartLimitPerHour,
    windowSeconds: 3600,
    key: (request) => request.user?.id ?? clientAddressKey(request),
  });
  typed(app).post('/api/connectors/:id/_start_oauth_flow', {
    schema: {
      tags: ['oauth'],
      params: idParamsSchema,
      body: bodySchema,
      response: { 200: z.object({ authorizationUrl: z.string(), state: z.string() }) },
    },
    handler: async (request, reply) => {
      const user = requirePrivilege(request, 'connections:own');
      await limit(request, reply);
      const flow = await startAuthorizationFlow(deps, {
        connectorId: request.params.id,
        userId: user.id,
        browserBinding: ensureBrowserBinding(deps.config, request, reply),
        ...(request.body?.returnUrl ? { returnUrl: request.body.returnUrl } : {}),
      });
      reply.header('cache-control', 'no-store');
      return flow;
    },
  });
};
