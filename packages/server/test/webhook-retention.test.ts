import { type ConnectionEventType, recordConnectionEvent, type Store } from '@latchkey/core';
import { redeliverWebhook } from '@latchkey/events';
import { startWebhookReceiver, type WebhookReceiver } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows } from './support/stored-state';
import { startTestService, type TestService } from './support/test-service';
import { deliveriesOf, registerWebhook, runDeliveries } from './support/webhooks';

const RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;
/** More than one delete batch (1000 rows) of each table. */
const DELIVERED = 1010;

/** `count` events of one type, written to the outbox as connection changes write them. */
function recordEvents(service: TestService, type: ConnectionEventType, count = 1) {
  return service.deps.store.transaction(async (store) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const event = { type, connectorId: 'connector-1', userId: `user-${i}` };
      ids.push(await recordConnectionEvent(store, service.clock.now, event));
    }
    return ids;
  });
}

/** Runs the delivery job (100 deliveries a run) until `count` more have reached `receiver`. */
async function runAllDeliveries(service: TestService, receiver: WebhookReceiver, count: number) {
  const target = receiver.received.length + count;
  for (let run = 0; receiver.received.length < target; run += 1) {
    if (run > count / 100 + 2) throw new Error(`${target - receiver.received.length} not sent`);
    await runDeliveries(service);
  }
}

function lastRunCounts(service: TestService): Record<string, unknown> | undefined {
  return service
    .logs()
    .split('\n')
    .filter((line) => line.includes('"webhook-retention"') && line.includes('"job finished"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .at(-1);
}

/** The outbox is pruned after the configured days, driven with `runNow` on the fake clock. */
describe('webhook-retention job', () => {
  let service: TestService;
  let up: WebhookReceiver;
  let down: WebhookReceiver;

  beforeAll(async () => {
    service = await startTestService({
      LATCHKEY_JOBS_ENABLED: 'false',
      LATCHKEY_WEBHOOK_RETENTION_DAYS: String(RETENTION_DAYS),
      LATCHKEY_WEBHOOK_DISABLE_AFTER_DAYS: '1',
    });
    [up, down] = await Promise.all([startWebhookReceiver(), startWebhookReceiver()]);
  });
  afterAll(async () => {
    await service.stop();
    await Promise.all([up.stop(), down.stop()]);
  });

  it('deletes old finished deliveries and bare events, keeps pending and recent ones', async () => {
    const delivering = await registerWebhook(service, up.url, ['connection.created']);
    const failing = await registerWebhook(service, down.url, ['connection.disconnected']);
    down.answerWith(503);

    // Day 0: events delivered, one nobody subscribed to, two to a receiver that is down.
    await recordEvents(service, 'connection.created', DELIVERED);
    await runAllDeliveries(service, up, DELIVERED);
    await recordEvents(service, 'connection.recovered');
    await recordEvents(service, 'connection.disconnected', 2);
    await runDeliveries(service);
    // Day 1: the first of the two gives up and disables its endpoint; the other stays pending.
    service.clock.now += DAY_MS;
    await runDeliveries(service);
    const waiting = await deliveriesOf(service, failing.id);
    expect(waiting.map((d) => d.status).sort()).toEqual(['failed', 'pending']);
    const pendingId = waiting.find((d) => d.status === 'pending')?.eventId;

    // Day 40: a new event is delivered, another has no subscriber.
    service.clock.now += (RETENTION_DAYS + 9) * DAY_MS;
    await recordEvents(service, 'connection.created');
    await runAllDeliveries(service, up, 1);
    await recordEvents(service, 'connection.recovered');

    expect(await service.jobs.runNow('webhook-retention')).toBe(true);

    expect(lastRunCounts(service)).toMatchObject({
      webhookDeliveriesDeleted: DELIVERED + 1,
      connectionEventsDeleted: DELIVERED + 2,
    });
    expect(await deliveriesOf(service, delivering.id)).toEqual([
      expect.objectContaining({ status: 'succeeded' }),
    ]);
    expect(await deliveriesOf(service, failing.id)).toEqual([
      expect.objectContaining({ eventId: pendingId, status: 'pending' }),
    ]);
    expect(await countRows(service, 'webhook_deliveries')).toBe(2);
    expect(await countRows(service, 'connection_events')).toBe(3);

    // The pending delivery is still there to be sent once its receiver is back.
    down.answerWith(204);
    const redelivered = await service.asAdmin({
      method: 'POST',
      url: `/api/webhooks/${failing.id}/deliveries/${pendingId}/_redeliver`,
      body: {},
    });
    expect(redelivered.statusCode).toBe(202);
    await runDeliveries(service);
    expect(down.received.at(-1)).toMatchObject({
      headers: { 'webhook-id': pendingId },
      answeredWith: 204,
    });
  });

  it('deletes the kept rows once they age past the retention', async () => {
    service.clock.now += (RETENTION_DAYS + 1) * DAY_MS;
    await service.jobs.runNow('webhook-retention');
    expect(await countRows(service, 'webhook_deliveries')).toBe(0);
    expect(await countRows(service, 'connection_events')).toBe(0);
  });
});

describe('webhook retention 0', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({
      LATCHKEY_JOBS_ENABLED: 'false',
      LATCHKEY_WEBHOOK_RETENTION_DAYS: '0',
    });
  });
  afterAll(() => service.stop());

  it('keeps the outbox forever: there is no retention job', async () => {
    await recordEvents(service, 'connection.recovered');
    service.clock.now += 10_000 * DAY_MS;
    await expect(service.jobs.runNow('webhook-retention')).rejects.toThrow(/no job named/);
    for (const job of ['expired-flows', 'audit-retention']) await service.jobs.runNow(job);
    expect(await countRows(service, 'connection_events')).toBe(1);
  });
});

/**
 * On PostgreSQL the retention's delete does not wait for a redelivery's transaction, which
 * reads the delivery, then writes it back as pending: the delete can land in between. The
 * store is made to delete the delivery right after the redelivery's read, on either dialect.
 */
describe('a redelivery whose delivery the retention deletes after reading it', () => {
  let service: TestService;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    service = await startTestService({ LATCHKEY_JOBS_ENABLED: 'false' });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await service.stop();
    await receiver.stop();
  });

  /** The service's deps, with the delivery deleted in each transaction's read of it. */
  function depsDeletingAfterRead() {
    const { store } = service.deps;
    const deletingAfterRead = (trx: Store): Store => ({
      ...trx,
      webhooks: {
        ...trx.webhooks,
        async findDelivery(eventId, endpointId) {
          const found = await trx.webhooks.findDelivery(eventId, endpointId);
          await trx.webhooks.deleteFinishedDeliveries(Number.MAX_SAFE_INTEGER, 10);
          return found;
        },
      },
    });
    const racing: Store = {
      ...store,
      transaction: (work) => store.transaction((trx) => work(deletingAfterRead(trx))),
    };
    return { ...service.deps, store: racing };
  }

  it('answers webhook_delivery_not_found and changes nothing: nothing would be sent', async () => {
    const webhook = await registerWebhook(service, receiver.url, ['connection.created']);
    const [eventId] = await recordEvents(service, 'connection.created');
    await runDeliveries(service);
    expect(await deliveriesOf(service, webhook.id)).toEqual([
      expect.objectContaining({ eventId, status: 'succeeded' }),
    ]);
    const endpointBefore = await service.deps.store.webhooks.findEndpoint(webhook.id);
    const auditBefore = await countRows(service, 'audit_events');

    await expect(
      redeliverWebhook(depsDeletingAfterRead(), webhook.id, eventId as string, 'admin-id'),
    ).rejects.toMatchObject({ code: 'webhook_delivery_not_found' });

    // Not made pending: here the delete rolled back with the redelivery (in the race it stays).
    expect(await service.deps.store.webhooks.findDelivery(eventId as string, webhook.id)).toEqual(
      expect.objectContaining({ status: 'succeeded' }),
    );
    expect(await service.deps.store.webhooks.findEndpoint(webhook.id)).toEqual(endpointBefore);
    expect(await countRows(service, 'audit_events')).toBe(auditBefore);
  });
});
