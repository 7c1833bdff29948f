import {
  connectorInputSchema,
  connectorViewSchema,
  createConnector,
  toConnectorView,
} from '@latchkey/core';
import { requirePrivilege } from '../../../plugins/sessions';
import { type RegisterRoute, typed } from '../../route';

export const registerCreateConnector: RegisterRoute = (app, deps) => {
  typed(app).post('/api/connectors', {
    schema: {
      tags: ['connectors'],
      body: connectorInputSchema,
      response: { 201: connectorViewSchema },
    },
    handler: async (request, reply) => {
      const user = requirePrivilege(request, 'connectors:write');
      const connector = await createConnector(deps, request.body, user.id);
      request.log.info({ connectorId: connector.id, by: user.id }, 'connector created');
      // A new connector has no connection yet.
      return reply.status(201).send(toConnectorView(connector, deps.vault, undefined));
    },
  });
};
