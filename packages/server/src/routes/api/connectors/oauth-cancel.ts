import { cancelAuthorizationFlow } from '@latchkey/core';
import { z } from 'zod';
import { requirePrivilege } from '../../../plugins/sessions';
import { idParamsSchema, type RegisterRoute, typed } from '../../route';

export const registerOAuthCancel: RegisterRoute = (app, deps) => {
  typed(app).post('/api/connectors/:id/_oauth_cancel', {
    schema: {
      tags: ['oauth'],
      params: idParamsSchema,
      body: z.strictObject({ state: z.string().min(1).max(512) }),
    },
    handler: async (request, reply) => {
      const user = requirePrivilege(request, 'connections:own');
      await cancelAuthorizationFlow(deps, {
        connectorId: request.params.id,
        userId: user.id,
        state: request.body.state,
      });
      return reply.status(204).send();
    },
  });
};
