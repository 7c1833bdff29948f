import { deleteWebhookEndpoint } from '@latchkey/events';
import { requirePrivilege } from '../../../plugins/sessions';
import { idParamsSchema, type RegisterRoute, typed } from '../../route';

export const registerDeleteWebhook: RegisterRoute = (app, deps) => {
  typed(app).delete('/api/webhooks/:id', {
    schema: { tags: ['webhooks'], params: idParamsSchema },
    handler: async (request, reply) => {
      const admin = requirePrivilege(request, 'webhooks:manage');
      await deleteWebhookEndpoint(deps, request.params.id, admin.id);
      request.log.info({ webhookId: request.params.id, by: admin.id }, 'webhook endpoint deleted');
      return reply.status(204).send();
    },
  });
};
