import { apiKeyViewSchema, createApiKey, createApiKeySchema, toApiKeyView } from '@latchkey/core';
import { z } from 'zod';
import { requirePrivilege } from '../../../plugins/sessions';
import { type RegisterRoute, typed } from '../../route';

export const registerCreateApiKey: RegisterRoute = (app, deps) => {
  typed(app).post('/api/api_keys', {
    schema: {
      tags: ['api keys'],
      body: createApiKeySchema,
      response: { 201: apiKeyViewSchema.extend({ key: z.string() }) },
    },
    handler: async (request, reply) => {
      const admin = requirePrivilege(request, 'api_keys:manage');
      const { key, stored } = await createApiKey(deps.store, request.body, admin.id, deps.now());
      request.log.info({ apiKeyId: stored.id, by: admin.id }, 'api key created');
      // The key is in this response only; it cannot be read again.
      return reply
        .status(201)
        .header('cache-control', 'no-store')
        .send({ ...toApiKeyView(stored), key });
    },
  });
};
