import type {
  StoredWebhookEndpoint,
  WebhookDeliveryView,
  WebhookDeliveryWithEvent,
  WebhookView,
} from '@latchkey/core';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An endpoint as admins see it: never its secrets. */
export function toWebhookView(endpoint: StoredWebhookEndpoint): WebhookView {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    previousSecretExpiresAt: iso(endpoint.previousSecretExpiresAt),
    failingSince: iso(endpoint.failingSince),
    disabledAt: iso(endpoint.disabledAt),
    disabledReason: endpoint.disabledReason,
    createdAt: new Date(endpoint.createdAt).toISOString(),
  };
}

export function toWebhookDeliveryView(delivery: WebhookDeliveryWithEvent): WebhookDeliveryView {
  return {
    eventId: delivery.eventId,
    type: delivery.event.type,
    connectorId: delivery.event.connectorId,
    userId: delivery.event.userId,
    endUserId: delivery.event.endUserId,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: iso(delivery.nextAttemptAt),
    lastAttemptAt: iso(delivery.lastAttemptAt),
    lastResponseStatus: delivery.lastResponseStatus,
    lastLatencyMs: delivery.lastLatencyMs,
    lastError: delivery.lastError,
    createdAt: new Date(delivery.createdAt).toISOString(),
  };
}
