import { disconnectConnection } from '@latchkey/core';
import { connectionOwner } from '../../../plugins/connect-session-auth';
import { emptyBodySchema, idParamsSchema, type RegisterRoute, typed } from '../../route';

export const registerOAuthDisconnect: RegisterRoute = (app, deps) => {
  typed(app).post('/api/connectors/:id/_oauth_disconnect', {
    schema: { tags: ['oauth'], params: idParamsSchema, body: emptyBodySchema },
    handler: async (request, reply) => {
      const owner = await connectionOwner(deps, request, request.params.id);
      const result = await disconnectConnection(deps, {
        connectorId: request.params.id,
        userId: owner.userId,
      });
      if (result.revocationsQueued > 0) {
        request.log.warn(
          { connectorId: request.params.id, queued: result.revocationsQueued },
          'token revocation failed at the provider; queued for retry',
        );
      }
      return reply.status(204).send();
    },
  });
};
