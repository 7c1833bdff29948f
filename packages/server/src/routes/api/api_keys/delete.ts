import { LatchkeyError } from '@latchkey/core';
import { requirePrivilege } from '../../../plugins/sessions';
import { idParamsSchema, type RegisterRoute, typed } from '../../route';

export const registerRevokeApiKey: RegisterRoute = (app, deps) => {
  typed(app).delete('/api/api_keys/:id', {
    schema: { tags: ['api keys'], params: idParamsSchema },
    handler: async (request, reply) => {
      const admin = requirePrivilege(request, 'api_keys:manage');
      if (!(await deps.store.apiKeys.revoke(request.params.id, deps.now()))) {
        throw new LatchkeyError('api_key_not_found');
      }
      request.log.info({ apiKeyId: request.params.id, by: admin.id }, 'api key revoked');
      return reply.status(204).send();
    },
  });
};
