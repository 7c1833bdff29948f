import type { Store } from '@latchkey/core';

/** Rows per delete statement: short statements, so API calls are never held up for long. */
const DELETE_BATCH_ROWS = 1000;

/**
 * Deletes the audit events created before `cutoff`, one bounded batch at a time, yielding
 * to other work between batches, until none is left.
 */
export async function deleteExpiredAuditEvents(
  store: Store,
  cutoff: number,
): Promise<{ auditEventsDeleted: number }> {
  let deleted = 0;
  for (;;) {
    const batch = await store.audit.deleteOlderThan(cutoff, DELETE_BATCH_ROWS);
    deleted += batch;
    if (batch < DELETE_BATCH_ROWS) return { auditEventsDeleted: deleted };
    await new Promise((resolve) => setImmediate(resolve));
  }
}
