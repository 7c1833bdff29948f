import { webhookDeliveryViewSchema } from '@latchkey/core';
import { findWebhookEndpoint, toWebhookDeliveryView } from '@latchkey/events';
import { z } from 'zod';
import { requirePrivilege } from '../../../../plugins/sessions';
import { idParamsSchema, type RegisterRoute, typed } from '../../../route';

const PAGE_SIZE = 50;

const querySchema = z.strictObject({
  /** The `createdAt` and `eventId` of the last delivery of the previous page. */
  beforeCreatedAt: z.iso.datetime().optional(),
  beforeEventId: z.string().min(1).max(128).optional(),
});

export const registerListWebhookDeliveries: RegisterRoute = (app, deps) => {
  typed(app).get('/api/webhooks/:id/deliveries', {
    schema: {
      tags: ['webhooks'],
      params: idParamsSchema,
      querystring: querySchema,
      response: { 200: z.object({ deliveries: z.array(webhookDeliveryViewSchema) }) },
    },
    handler: async (request) => {
      requirePrivilege(request, 'webhooks:manage');
      const endpoint = await findWebhookEndpoint(deps, request.params.id);
      const { beforeCreatedAt, beforeEventId } = request.query;
      const before =
        beforeCreatedAt && beforeEventId
          ? { createdAt: Date.parse(beforeCreatedAt), eventId: beforeEventId }
          : undefined;
      const page = await deps.store.webhooks.listDeliveries(endpoint.id, PAGE_SIZE, before);
      return { deliveries: page.map(toWebhookDeliveryView) };
    },
  });
};
