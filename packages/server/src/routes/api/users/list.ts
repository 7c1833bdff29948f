import { toUserView, userViewSchema } from '@latchkey/core';
import { z } from 'zod';
import { requirePrivilege } from '../../../plugins/sessions';
import { type RegisterRoute, typed } from '../../route';

export const registerListUsers: RegisterRoute = (app, deps) => {
  typed(app).get('/api/users', {
    schema: { tags: ['users'], response: { 200: z.object({ users: z.array(userViewSchema) }) } },
    handler: async (request) => {
      requirePrivilege(request, 'users:manage');
      return { users: (await deps.store.users.list()).map(toUserView) };
    },
  });
};
