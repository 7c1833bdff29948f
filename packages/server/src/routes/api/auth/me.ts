import { toUserView, userViewSchema } from '@latchkey/core';
import { requireUser } from '../../../plugins/sessions';
import { type RegisterRoute, typed } from '../../route';

export const registerMe: RegisterRoute = (app) => {
  typed(app).get('/api/auth/me', {
    schema: { tags: ['auth'], response: { 200: userViewSchema } },
    handler: async (request) => toUserView(requireUser(request)),
  });
};
