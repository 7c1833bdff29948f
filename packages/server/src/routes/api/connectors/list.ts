import { connectorViewSchema, listConnectorsForUser } from '@latchkey/core';
import { z } from 'zod';
import { requirePrivilege } from '../../../plugins/sessions';
import { type RegisterRoute, typed } from '../../route';

export const registerListConnectors: RegisterRoute = (app, deps) => {
  typed(app).get('/api/connectors', {
    schema: {
      tags: ['connectors'],
      response: { 200: z.object({ connectors: z.array(connectorViewSchema) }) },
    },
    handler: async (request) => {
      const user = requirePrivilege(request, 'connectors:read');
      return { connectors: await listConnectorsForUser(deps, user.id) };
    },
  });
};
