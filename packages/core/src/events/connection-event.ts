import { timeOrderedId } from '../ids/time-ordered-id';
import type { Store, StoredConnection } from '../store';

/** What may happen to a connection; webhook endpoints subscribe to these by name. */
export const CONNECTION_EVENT_TYPES = [
  'connection.created',
  'connection.reconnected',
  'connection.refresh_failed',
  'connection.reauth_required',
  'connection.recovered',
  'connection.disconnected',
  'connection.deleted',
  'connection.scopes_changed',
] as const;
export type ConnectionEventType = (typeof CONNECTION_EVENT_TYPES)[number];

/** A change to one user's connection to one connector; never a token or a secret. */
export interface ConnectionEventInput {
  type: ConnectionEventType;
  connectorId: string;
  userId: string;
  /** A code saying why (`invalid_grant`, `connector_deleted`), when there is one. */
  reason?: string;
}

/**
 * Writes the event to the outbox through `store`: pass the store of the transaction that
 * makes the change, so the event commits with it or not at all (a crash between the change
 * and the delivery then loses nothing). Answers the event's id, the `webhook-id` of its
 * deliveries.
 */
export async function recordConnectionEvent(
  store: Store,
  now: number,
  event: ConnectionEventInput,
): Promise<string> {
  const id = `evt_${timeOrderedId(now)}`;
  await store.connectionEvents.record({
    id,
    type: event.type,
    connectorId: event.connectorId,
    userId: event.userId,
    reason: event.reason ?? null,
    createdAt: now,
  });
  return id;
}

/** Narrows a stored or submitted name to an event type; `undefined` for anything else. */
export function parseConnectionEventType(name: string): ConnectionEventType | undefined {
  return CONNECTION_EVENT_TYPES.find((type) => type === name);
}

/** One `connection.deleted` per connection a deletion took, all through `store`. */
export async function recordConnectionsDeleted(
  store: Store,
  now: number,
  connections: readonly Pick<StoredConnection, 'connectorId' | 'userId'>[],
  reason: string,
): Promise<void> {
  for (const { connectorId, userId } of connections) {
    await recordConnectionEvent(store, now, {
      type: 'connection.deleted',
      connectorId,
      userId,
      reason,
    });
  }
}
