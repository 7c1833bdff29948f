import { webhookViewSchema } from '@latchkey/core';
import { rotateWebhookSecret, toWebhookView } from '@latchkey/events';
import { z } from 'zod';
import { requirePrivilege } from '../../../plugins/sessions';
import { emptyBodySchema, idParamsSchema, type RegisterRoute, typed } from '../../route';

export const registerRotateWebhookSecret: RegisterRoute = (app, deps) => {
  typed(app).post('/api/webhooks/:id/_rotate_secret', {
    schema: {
      tags: ['webhooks'],
      params: idParamsSchema,
      body: emptyBodySchema,
      response: { 200: webhookViewSchema.extend({ secret: z.string() }) },
    },
    handler: async (request, reply) => {
      const admin = requirePrivilege(request, 'webhooks:manage');
      const { endpoint, secret } = await rotateWebhookSecret(deps, request.params.id, admin.id);
      request.log.info({ webhookId: endpoint.id, by: admin.id }, 'webhook secret rotated');
      return reply.header('cache-control', 'no-store').send({ ...toWebhookView(endpoint), secret });
    },
  });
};
