import { cancelAuthorizationFlow } from '@latchkey/core';
import { z } from 'zod';
import { connectionOwner } from '../../../plugins/connect-session-auth';
import { idParamsSchema, type RegisterRoute, typed } from '../../route';

export const registerOAuthCancel: RegisterRoute = (app, deps) => {
  typed(app).post('/api/connectors/:id/_oauth_cancel', {
    schema: {
      tags: ['oauth'],
      params: idParamsSchema,
      body: z.strictObject({ state: z.string().min(1).max(512) }),
    },
    handler: async (request, reply) => {
      const owner = await connectionOwner(deps, request, request.params.id);
      await cancelAuthorizationFlow(deps, {
        connectorId: request.params.id,
        userId: owner.userId,
        state: request.body.state,
      });
      return reply.status(204).send();
    },
  });
};
