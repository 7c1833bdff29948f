import type { Store } from '@latchkey/core';
import { deleteInBatches } from './delete-in-batches';

/**
 * Prunes the webhook outbox of what is older than `cutoff`: the finished deliveries (delivered
 * or given up) last tried before it, then the events it left without a delivery. A pending
 * delivery is never deleted, whatever its age, nor is its event: it may still be sent.
 */
export async function deleteExpiredOutboxRows(
  store: Store,
  cutoff: number,
): Promise<{ webhookDeliveriesDeleted: number; connectionEventsDeleted: number }> {
  const webhookDeliveriesDeleted = await deleteInBatches((limit) =>
    store.webhooks.deleteFinishedDeliveries(cutoff, limit),
  );
  const connectionEventsDeleted = await deleteInBatches((limit) =>
    store.connectionEvents.deleteWithoutDeliveries(cutoff, limit),
  );
  return { webhookDeliveriesDeleted, connectionEventsDeleted };
}
