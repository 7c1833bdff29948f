import { deleteUser } from '@latchkey/core';
import { requirePrivilege } from '../../../plugins/sessions';
import { idParamsSchema, type RegisterRoute, typed } from '../../route';

export const registerDeleteUser: RegisterRoute = (app, deps) => {
  typed(app).delete('/api/users/:id', {
    schema: { tags: ['users'], params: idParamsSchema },
    handler: async (request, reply) => {
      const admin = requirePrivilege(request, 'users:manage');
      const deletion = await deleteUser(deps, request.params.id, admin.id);
      request.log.info({ userId: request.params.id, by: admin.id, ...deletion }, 'user deleted');
      return reply.status(204).send();
    },
  });
};
