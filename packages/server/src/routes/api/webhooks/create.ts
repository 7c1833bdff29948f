import { createWebhookSchema, webhookViewSchema } from '@latchkey/core';
import { createWebhookEndpoint, toWebhookView } from '@latchkey/events';
import { z } from 'zod';
import { requirePrivilege } from '../../../plugins/sessions';
import { type RegisterRoute, typed } from '../../route';

export const registerCreateWebhook: RegisterRoute = (app, deps) => {
  typed(app).post('/api/webhooks', {
    schema: {
      tags: ['webhooks'],
      body: createWebhookSchema,
      response: { 201: webhookViewSchema.extend({ secret: z.string() }) },
    },
    handler: async (request, reply) => {
      const admin = requirePrivilege(request, 'webhooks:manage');
      const { endpoint, secret } = await createWebhookEndpoint(deps, request.body, admin.id);
      request.log.info({ webhookId: endpoint.id, by: admin.id }, 'webhook endpoint created');
      // The signing secret is in this response only; it cannot be read again.
      return reply
        .status(201)
        .header('cache-control', 'no-store')
        .send({ ...toWebhookView(endpoint), secret });
    },
  });
};
