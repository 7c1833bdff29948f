import { redeliverWebhook } from '@latchkey/events';
import { z } from 'zod';
import { requirePrivilege } from '../../../../plugins/sessions';
import { emptyBodySchema, type RegisterRoute, typed, withoutNul } from '../../../route';

const paramsSchema = z.strictObject({
  id: withoutNul(z.string().min(1).max(128)),
  eventId: withoutNul(z.string().min(1).max(128)),
});

export const registerRedeliverWebhook: RegisterRoute = (app, deps) => {
  typed(app).post('/api/webhooks/:id/deliveries/:eventId/_redeliver', {
    schema: { tags: ['webhooks'], params: paramsSchema, body: emptyBodySchema },
    handler: async (request, reply) => {
      const admin = requirePrivilege(request, 'webhooks:manage');
      const { id, eventId } = request.params;
      await redeliverWebhook(deps, id, eventId, admin.id);
      request.log.info({ webhookId: id, eventId, by: admin.id }, 'webhook delivery queued again');
      return reply.status(202).send();
    },
  });
};
