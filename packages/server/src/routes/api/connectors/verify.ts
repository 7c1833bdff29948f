import { connectionViewSchema, verifyConnection } from '@latchkey/core';
import { requirePrivilege } from '../../../plugins/sessions';
import { emptyBodySchema, idParamsSchema, type RegisterRoute, typed } from '../../route';

/** `POST /api/connectors/:id/_verify`: the caller's connection, checked at its provider now. */
export const registerVerifyConnection: RegisterRoute = (app, deps) => {
  typed(app).post('/api/connectors/:id/_verify', {
    schema: {
      tags: ['oauth'],
      params: idParamsSchema,
      body: emptyBodySchema,
      response: { 200: connectionViewSchema },
    },
    handler: async (request) => {
      const user = requirePrivilege(request, 'connections:own');
      return verifyConnection(deps, deps.accessTokens, request.params.id, user.id);
    },
  });
};
