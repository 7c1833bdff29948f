import { toUserView, updateUser, updateUserSchema, userViewSchema } from '@latchkey/core';
import { requirePrivilege } from '../../../plugins/sessions';
import { idParamsSchema, type RegisterRoute, typed } from '../../route';

export const registerUpdateUser: RegisterRoute = (app, deps) => {
  typed(app).patch('/api/users/:id', {
    schema: {
      tags: ['users'],
      params: idParamsSchema,
      body: updateUserSchema,
      response: { 200: userViewSchema },
    },
    handler: async (request) => {
      const admin = requirePrivilege(request, 'users:manage');
      const user = await updateUser(deps, request.params.id, request.body, deps.now());
      request.log.info({ userId: user.id, role: user.role, by: admin.id }, 'user updated');
      return toUserView(user);
    },
  });
};
