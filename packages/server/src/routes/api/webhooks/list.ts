import { webhookViewSchema } from '@latchkey/core';
import { toWebhookView } from '@latchkey/events';
import { z } from 'zod';
import { requirePrivilege } from '../../../plugins/sessions';
import { type RegisterRoute, typed } from '../../route';

export const registerListWebhooks: RegisterRoute = (app, deps) => {
  typed(app).get('/api/webhooks', {
    schema: {
      tags: ['webhooks'],
      response: { 200: z.object({ webhooks: z.array(webhookViewSchema) }) },
    },
    handler: async (request) => {
      requirePrivilege(request, 'webhooks:manage');
      return { webhooks: (await deps.store.webhooks.listEndpoints()).map(toWebhookView) };
    },
  });
};
