import {
  authStatusesForUser,
  authStatusSchema,
  ensureSessionEndUser,
  sessionAllowsConnector,
} from '@latchkey/core';
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
      const session = request.connectSession;
      if (!session)
        return authStatusesForUser(deps, requirePrivilege(request, 'connections:own').id);
      // A session sees its end user's statuses of its own connectors, nothing else.
      const endUser = await ensureSessionEndUser(deps, session);
      const statuses = await authStatusesForUser(deps, endUser.id);
      return Object.fromEntries(
        Object.entries(statuses).filter(
          ([id, { user_auth_status }]) =>
            user_auth_status !== 'not_applicable' && sessionAllowsConnector(session, id),
        ),
      );
    },
  });
};
