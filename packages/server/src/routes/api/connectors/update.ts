import {
  connectorInputSchema,
  connectorViewSchema,
  getConnectorForUser,
  updateConnector,
} from '@latchkey/core';
import { requirePrivilege } from '../../../plugins/sessions';
import { idParamsSchema, type RegisterRoute, typed } from '../../route';

export const registerUpdateConnector: RegisterRoute = (app, deps) => {
  typed(app).put('/api/connectors/:id', {
    schema: {
      tags: ['connectors'],
      params: idParamsSchema,
      body: connectorInputSchema,
      response: { 200: connectorViewSchema },
    },
    handler: async (request) => {
      const user = requirePrivilege(request, 'connectors:write');
      const { connector, connectionsDeleted, revocationsQueued } = await updateConnector(
        deps,
        request.params.id,
        request.body,
        user.id,
      );
      request.log.info(
        { connectorId: connector.id, by: user.id, connectionsDeleted, revocationsQueued },
        'connector updated',
      );
      return getConnectorForUser(deps, connector.id, user.id);
    },
  });
};
