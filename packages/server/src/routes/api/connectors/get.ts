import { connectorViewSchema, getConnectorForUser } from '@latchkey/core';
import { requirePrivilege } from '../../../plugins/sessions';
import { idParamsSchema, type RegisterRoute, typed } from '../../route';

export const registerGetConnector: RegisterRoute = (app, deps) => {
  typed(app).get('/api/connectors/:id', {
    schema: {
      tags: ['connectors'],
      params: idParamsSchema,
      response: { 200: connectorViewSchema },
    },
    handler: async (request) => {
      const user = requirePrivilege(request, 'connectors:read');
      return getConnectorForUser(deps, request.params.id, user.id);
    },
  });
};
