/** Rows per delete statement: short statements, so API calls are never held up for long. */
const DELETE_BATCH_ROWS = 1000;

/**
 * Calls `deleteBatch`, a bounded delete of at most `limit` rows in one statement, until a
 * batch deletes fewer, yielding to other work between batches; answers how many it deleted.
 */
export async function deleteInBatches(
  deleteBatch: (limit: number) => Promise<number>,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const batch = await deleteBatch(DELETE_BATCH_ROWS);
    deleted += batch;
    if (batch < DELETE_BATCH_ROWS) return deleted;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
