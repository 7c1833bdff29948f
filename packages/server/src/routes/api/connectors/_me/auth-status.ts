import { authStatusesForUser, authStatusSchema } from '@latchkey/core';
import { z } from 'zod';
import { requirePrivilege } from '../../../../plugins/sessions';
import { emptyBodySchema, type RegisterRoute, typed } from '../../../route';

export const registerMyAuthStatus: RegisterRoute = (app, deps) => {
  typed(app).post('/api/connectors/_me/auth_status', {
    schema: {
      tags: ['connectors'],
      body: emptyBodySchema,
      response: {
        200: z.record(z.string(), authStatusSchema),
      },
    },
    handler: async (request) => {
      const user = requirePrivilege(request, 'connections:own');
      return authStatusesForUser(deps, user.id);
    },
  });
};
