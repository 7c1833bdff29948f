import type { StoredConnectionEvent } from '@latchkey/core';

/** The body every receiver gets: what happened, to whose connection, and why. Never a token. */
export interface WebhookPayload {
  type: StoredConnectionEvent['type'];
  timestamp: string;
  data: { connectorId: string; userId: string; reason?: string };
}

export function webhookPayloadOf(event: StoredConnectionEvent): WebhookPayload {
  return {
    type: event.type,
    timestamp: new Date(event.createdAt).toISOString(),
    data: {
      connectorId: event.connectorId,
      userId: event.userId,
      ...(event.reason ? { reason: event.reason } : {}),
    },
  };
}
