import type { Store, WebhookDelivery } from '@latchkey/core';
import {
  createTestPostgresDatabase,
  queryPostgres,
  type TestPostgresDatabase,
} from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionEvent, T0, webhookEndpoint } from '../contract/fixtures';
import { openStore } from '../open-store';

/**
 * PostgreSQL only: SQLite runs a delete whole under its write lock, so no redelivery can land
 * in the middle of one. On PostgreSQL a delete picks its rows from a snapshot, then waits for
 * the lock of a row another transaction is changing: what it decides then must be about the
 * row as that transaction left it.
 */
describe('deleteFinishedDeliveries beside a redelivery, on PostgreSQL', () => {
  let database: TestPostgresDatabase;
  let store: Store;
  let peer: Store;

  beforeAll(async () => {
    database = await createTestPostgresDatabase();
    const location = { dialect: 'postgres' as const, url: database.url };
    store = await openStore(location, { poolSize: 2 });
    peer = await openStore(location, { poolSize: 2 });
  });
  afterAll(async () => {
    await Promise.all([store?.close(), peer?.close()]);
    await database?.drop();
  });

  it('keeps a delivery made pending while the delete waited for its row', async () => {
    await store.webhooks.insertEndpoint(webhookEndpoint('w1'));
    await store.connectionEvents.record(connectionEvent('e1'));
    const failed = await saveAs(store, { status: 'failed', nextAttemptAt: null });

    let deleting: Promise<number> | undefined;
    await peer.transaction(async (tx) => {
      // The redelivery's write, uncommitted: the delete's snapshot still sees `failed`.
      await tx.webhooks.saveDelivery({ ...failed, status: 'pending', nextAttemptAt: T0 + 30 });
      deleting = store.webhooks.deleteFinishedDeliveries(T0 + 50, 10);
      await untilAStatementWaitsForALock(database.url);
    });

    expect(await deleting).toBe(0);
    expect(await store.webhooks.findDelivery('e1', 'w1')).toMatchObject({ status: 'pending' });
  });
});

async function saveAs(
  store: Store,
  patch: Pick<WebhookDelivery, 'status' | 'nextAttemptAt'>,
): Promise<WebhookDelivery> {
  const queued = await store.webhooks.findDelivery('e1', 'w1');
  if (!queued) throw new Error('e1 was not queued for w1');
  const { event: _event, ...delivery } = queued;
  const saved = { ...delivery, ...patch, attempts: 1, lastAttemptAt: T0 + 10 };
  await store.webhooks.saveDelivery(saved);
  return saved;
}

/** Waits until some statement on the database waits for a row lock another holds. */
async function untilAStatementWaitsForALock(url: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const waiting = await queryPostgres<{ n: number }>(
      url,
      "select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
    );
    if (Number(waiting[0]?.n) > 0) return;
    if (Date.now() > deadline) throw new Error('no statement came to wait for the row lock');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
