import { deleteConnector } from '@latchkey/core';
import { requirePrivilege } from '../../../plugins/sessions';
import { idParamsSchema, type RegisterRoute, typed } from '../../route';

export const registerDeleteConnector: RegisterRoute = (app, deps) => {
  typed(app).delete('/api/connectors/:id', {
    schema: { tags: ['connectors'], params: idParamsSchema },
    handler: async (request, reply) => {
      const user = requirePrivilege(request, 'connectors:write');
      const deletion = await deleteConnector(deps, request.params.id, user.id);
      request.log.info(
        { connectorId: request.params.id, by: user.id, ...deletion },
        'connector deleted',
      );
      return reply.status(204).send();
    },
  });
};
