import { apiKeyViewSchema, toApiKeyView } from '@latchkey/core';
import { z } from 'zod';
import { requirePrivilege } from '../../../plugins/sessions';
import { type RegisterRoute, typed } from '../../route';

export const registerListApiKeys: RegisterRoute = (app, deps) => {
  typed(app).get('/api/api_keys', {
    schema: {
      tags: ['api keys'],
      response: { 200: z.object({ apiKeys: z.array(apiKeyViewSchema) }) },
    },
    handler: async (request) => {
      requirePrivilege(request, 'api_keys:manage');
      return { apiKeys: (await deps.store.apiKeys.list()).map(toApiKeyView) };
    },
  });
};
