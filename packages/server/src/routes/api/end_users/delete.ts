import { deleteEndUser } from '@latchkey/core';
import { requireEndUserManager } from '../../../plugins/end-user-access';
import { type RegisterRoute, typed } from '../../route';
import { externalIdParamsSchema } from './get';

export const registerDeleteEndUser: RegisterRoute = (app, deps) => {
  typed(app).delete('/api/end_users/:externalId', {
    schema: { tags: ['end users'], params: externalIdParamsSchema },
    handler: async (request, reply) => {
      const manager = requireEndUserManager(request);
      const deletion = await deleteEndUser(deps, request.params.externalId, manager);
      request.log.info({ ...manager, ...deletion }, 'end user deleted');
      return reply.status(204).send();
    },
  });
};
