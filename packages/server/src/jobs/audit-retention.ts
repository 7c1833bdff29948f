import type { Store } from '@latchkey/core';
import { deleteInBatches } from './delete-in-batches';

/** Deletes the audit events created before `cutoff`, in bounded batches, until none is left. */
export async function deleteExpiredAuditEvents(
  store: Store,
  cutoff: number,
): Promise<{ auditEventsDeleted: number }> {
  const auditEventsDeleted = await deleteInBatches((limit) =>
    store.audit.deleteOlderThan(cutoff, limit),
  );
  return { auditEventsDeleted };
}
