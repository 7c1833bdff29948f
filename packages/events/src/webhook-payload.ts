import type { StoredConnectionEvent } from '@latchkey/core';

/** The body every receiver gets: what happened, to whose connection, and why. Never a token. */
export interface WebhookPayload {
  type: StoredConnectionEvent['type'];
  timestamp: string;
  /** `endUserId` (the app's own id) for an end user's connection, `userId` otherwise. */
  data: { connectorId: string; reason?: string } & ({ userId: string } | { endUserId: string });
}

export function webhookPayloadOf(event: StoredConnectionEvent): WebhookPayload {
  return {
    type: event.type,
    timestamp: new Date(event.createdAt).toISOString(),
    data: {
      connectorId: event.connectorId,
      ...(event.endUserId ? { endUserId: event.endUserId } : { userId: event.userId }),
      ...(event.reason ? { reason: event.reason } : {}),
    },
  };
}
