import { webhookViewSchema } from '@latchkey/core';
import { findWebhookEndpoint, toWebhookView } from '@latchkey/events';
import { requirePrivilege } from '../../../plugins/sessions';
import { idParamsSchema, type RegisterRoute, typed } from '../../route';

export const registerGetWebhook: RegisterRoute = (app, deps) => {
  typed(app).get('/api/webhooks/:id', {
    schema: { tags: ['webhooks'], params: idParamsSchema, response: { 200: webhookViewSchema } },
    handler: async (request) => {
      requirePrivilege(request, 'webhooks:manage');
      return toWebhookView(await findWebhookEndpoint(deps, request.params.id));
    },
  });
};
