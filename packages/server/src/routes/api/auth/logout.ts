import { endSession } from '../../../plugins/sessions';
import { emptyBodySchema, type RegisterRoute, typed } from '../../route';

export const registerLogout: RegisterRoute = (app, deps) => {
  typed(app).post('/api/auth/logout', {
    schema: { tags: ['auth'], body: emptyBodySchema },
    handler: async (request, reply) => {
      await endSession(deps, request, reply);
      return reply.status(204).send();
    },
  });
};
