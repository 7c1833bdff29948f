import {
  endUserConnections,
  endUserDetailSchema,
  externalIdSchema,
  LatchkeyError,
  toEndUserView,
} from '@latchkey/core';
import { z } from 'zod';
import { requireEndUserManager } from '../../../plugins/end-user-access';
import { type RegisterRoute, typed } from '../../route';

export const externalIdParamsSchema = z.strictObject({ externalId: externalIdSchema });

export const registerGetEndUser: RegisterRoute = (app, deps) => {
  typed(app).get('/api/end_users/:externalId', {
    schema: {
      tags: ['end users'],
      params: externalIdParamsSchema,
      response: { 200: endUserDetailSchema },
    },
    handler: async (request) => {
      requireEndUserManager(request);
      const endUser = await deps.store.endUsers.findByExternalId(request.params.externalId);
      if (!endUser) throw new LatchkeyError('end_user_not_found');
      return {
        ...toEndUserView(endUser),
        connections: await endUserConnections(deps, endUser),
      };
    },
  });
};
