import { createUser, createUserSchema, toUserView, userViewSchema } from '@latchkey/core';
import { requirePrivilege } from '../../../plugins/sessions';
import { type RegisterRoute, typed } from '../../route';

export const registerCreateUser: RegisterRoute = (app, deps) => {
  typed(app).post('/api/users', {
    schema: { tags: ['users'], body: createUserSchema, response: { 201: userViewSchema } },
    handler: async (request, reply) => {
      const admin = requirePrivilege(request, 'users:manage');
      const user = await createUser(deps, request.body, deps.now());
      request.log.info({ userId: user.id, role: user.role, by: admin.id }, 'user created');
      return reply.status(201).send(toUserView(user));
    },
  });
};
