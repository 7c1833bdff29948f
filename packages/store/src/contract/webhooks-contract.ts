import type { Store, WebhookDeliveryStatus } from '@latchkey/core';
import { describe, expect, it } from 'vitest';
import { connectionEvent, T0, webhookEndpoint } from './fixtures';
import type { ContractContext } from './store-contract';

/** Saves an attempt of the delivery of `eventId` to `endpointId`, made at `at`. */
async function attempt(
  store: Store,
  eventId: string,
  endpointId: string,
  status: WebhookDeliveryStatus,
  at: number,
): Promise<void> {
  const delivery = await store.webhooks.findDelivery(eventId, endpointId);
  if (!delivery) throw new Error(`${eventId} was not queued for ${endpointId}`);
  await store.webhooks.saveDelivery({
    ...delivery,
    status,
    attempts: delivery.attempts + 1,
    nextAttemptAt: status === 'pending' ? at + 60_000 : null,
    lastAttemptAt: at,
    lastResponseStatus: status === 'succeeded' ? 204 : 500,
    lastLatencyMs: 5,
  });
}

export function webhooksContract(context: () => ContractContext): void {
  describe('connectionEvents and webhooks', () => {
    it('queues an event for each enabled endpoint subscribed to its type', async () => {
      const { store } = context();
      await store.webhooks.insertEndpoint(webhookEndpoint('w1'));
      await store.webhooks.insertEndpoint(
        webhookEndpoint('w2', { events: ['connection.deleted'] }),
      );
      await store.webhooks.insertEndpoint(webhookEndpoint('w3', { disabledAt: T0 }));
      expect(await store.connectionEvents.record(connectionEvent('e1'))).toBe(1);
      const due = await store.webhooks.dueDeliveries(T0, 10);
      expect(due).toEqual([
        {
          eventId: 'e1',
          endpointId: 'w1',
          status: 'pending',
          attempts: 0,
          nextAttemptAt: T0,
          lastAttemptAt: null,
          lastResponseStatus: null,
          lastLatencyMs: null,
          lastError: null,
          createdAt: T0,
          event: connectionEvent('e1'),
        },
      ]);
      expect(await store.webhooks.dueDeliveries(T0 - 1, 10)).toEqual([]);
    });

    it("names an end user's events by their external id, kept after the end user goes", async () => {
      const { store } = context();
      await store.webhooks.insertEndpoint(webhookEndpoint('w1'));
      const endUser = await store.endUsers.ensure({ id: 'eu-1', externalId: 'app-7', now: T0 });
      await store.connectionEvents.record(connectionEvent('e1', { userId: endUser.id }));
      await store.endUsers.delete(endUser.id);
      const [due] = await store.webhooks.dueDeliveries(T0, 10);
      expect(due?.event).toEqual(connectionEvent('e1', { userId: 'eu-1', endUserId: 'app-7' }));
    });

    it('keeps an event only if the transaction that made it commits', async () => {
      const { store } = context();
      await store.webhooks.insertEndpoint(webhookEndpoint('w1'));
      await expect(
        store.transaction(async (tx) => {
          await tx.connectionEvents.record(connectionEvent('e1'));
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      await store.transaction((tx) => tx.connectionEvents.record(connectionEvent('e2')));
      expect((await store.webhooks.dueDeliveries(T0, 10)).map((d) => d.eventId)).toEqual(['e2']);
    });

    it('reads back endpoints with their events, and updates and deletes them', async () => {
      const { store } = context();
      const w1 = webhookEndpoint('w1', {
        events: ['connection.reauth_required', 'connection.created'],
      });
      await store.webhooks.insertEndpoint(w1);
      await store.webhooks.insertEndpoint(webhookEndpoint('w0', { createdAt: T0 + 1 }));
      const sorted = { ...w1, events: ['connection.created', 'connection.reauth_required'] };
      expect(await store.webhooks.findEndpoint('w1')).toEqual(sorted);
      expect((await store.webhooks.listEndpoints()).map((e) => e.id)).toEqual(['w1', 'w0']);
      const patch = { disabledAt: T0 + 5, disabledReason: 'failing_since', updatedAt: T0 + 5 };
      expect(await store.webhooks.updateEndpoint('w1', patch)).toBe(true);
      expect(await store.webhooks.findEndpoint('w1')).toEqual({ ...sorted, ...patch });
      expect(await store.webhooks.updateEndpoint('nope', patch)).toBe(false);
      await store.connectionEvents.record(connectionEvent('e1'));
      expect(await store.webhooks.deleteEndpoint('w0')).toBe(true);
      expect(await store.webhooks.deleteEndpoint('w0')).toBe(false);
      expect(await store.webhooks.findEndpoint('w0')).toBeUndefined();
      expect(await store.webhooks.listDeliveries('w0', 10)).toEqual([]);
    });

    it('saves attempts and pages an endpoint’s deliveries, newest first', async () => {
      const { store } = context();
      await store.webhooks.insertEndpoint(webhookEndpoint('w1'));
      for (const [i, id] of ['e1', 'e2', 'e3'].entries()) {
        await store.connectionEvents.record(connectionEvent(id, { createdAt: T0 + i }));
      }
      const first = await store.webhooks.findDelivery('e1', 'w1');
      if (!first) throw new Error('e1 was not queued for w1');
      const attempted = {
        ...first,
        status: 'succeeded' as const,
        attempts: 1,
        nextAttemptAt: null,
        lastAttemptAt: T0 + 10,
        lastResponseStatus: 204,
        lastLatencyMs: 12,
        lastError: null,
      };
      expect(await store.webhooks.saveDelivery(attempted)).toBe(true);
      expect(await store.webhooks.findDelivery('e1', 'w1')).toEqual(attempted);
      // A delivery that is no longer there (deleted since it was read) is not written back.
      const { event: _event, ...orphan } = { ...attempted, endpointId: 'w-gone' };
      expect(await store.webhooks.saveDelivery(orphan)).toBe(false);
      expect(await store.webhooks.findDelivery('e1', 'w-gone')).toBeUndefined();
      const page = await store.webhooks.listDeliveries('w1', 2);
      expect(page.map((d) => d.eventId)).toEqual(['e3', 'e2']);
      const next = await store.webhooks.listDeliveries('w1', 2, {
        createdAt: T0 + 1,
        eventId: 'e2',
      });
      expect(next).toEqual([attempted]);
      expect((await store.webhooks.dueDeliveries(T0 + 10, 10)).map((d) => d.eventId)).toEqual([
        'e2',
        'e3',
      ]);
    });

    it('keeps events whose connector and user are gone', async () => {
      const { store } = context();
      await store.webhooks.insertEndpoint(webhookEndpoint('w1'));
      await store.connectionEvents.record(connectionEvent('e1', { connectorId: 'deleted' }));
      expect(await store.webhooks.findDelivery('e1', 'w1')).toMatchObject({
        event: { connectorId: 'deleted' },
      });
    });
  });

  describe('outbox retention', () => {
    it('deletes finished deliveries last tried before the cutoff, never a pending one', async () => {
      const { store } = context();
      await store.webhooks.insertEndpoint(webhookEndpoint('w1'));
      for (const id of ['delivered', 'gave-up', 'retrying', 'queued', 'recent']) {
        await store.connectionEvents.record(connectionEvent(id));
      }
      await attempt(store, 'delivered', 'w1', 'succeeded', T0 + 10);
      await attempt(store, 'gave-up', 'w1', 'failed', T0 + 20);
      await attempt(store, 'retrying', 'w1', 'pending', T0 + 5);
      await attempt(store, 'recent', 'w1', 'succeeded', T0 + 100);
      const cutoff = T0 + 50;

      expect(await store.webhooks.deleteFinishedDeliveries(cutoff, 1)).toBe(1);
      expect(await store.webhooks.deleteFinishedDeliveries(cutoff, 10)).toBe(1);
      expect(await store.webhooks.deleteFinishedDeliveries(cutoff, 10)).toBe(0);
      expect(await store.webhooks.findDelivery('delivered', 'w1')).toBeUndefined();
      expect(await store.webhooks.findDelivery('gave-up', 'w1')).toBeUndefined();
      const left = await store.webhooks.listDeliveries('w1', 10);
      expect(left.map((d) => d.eventId).sort()).toEqual(['queued', 'recent', 'retrying']);

      // Whatever their age, pending deliveries stay: the one being retried, the one waiting.
      expect(await store.webhooks.deleteFinishedDeliveries(Number.MAX_SAFE_INTEGER, 10)).toBe(1);
      const pending = await store.webhooks.listDeliveries('w1', 10);
      expect(pending.map((d) => [d.eventId, d.status]).sort()).toEqual([
        ['queued', 'pending'],
        ['retrying', 'pending'],
      ]);
    });

    it('deletes old events without a delivery left, and keeps those with one', async () => {
      const { store } = context();
      await store.webhooks.insertEndpoint(webhookEndpoint('w1'));
      await store.webhooks.insertEndpoint(
        webhookEndpoint('w2', { events: ['connection.reauth_required'] }),
      );
      // Nobody subscribed to its type: it never had a delivery.
      await store.connectionEvents.record(
        connectionEvent('unsent', { type: 'connection.recovered' }),
      );
      await store.connectionEvents.record(connectionEvent('pending'));
      await store.connectionEvents.record(connectionEvent('pruned'));
      await attempt(store, 'pruned', 'w1', 'succeeded', T0 + 10);
      await store.webhooks.deleteFinishedDeliveries(T0 + 50, 10);
      // Its endpoint's deletion took its delivery along.
      await store.connectionEvents.record(
        connectionEvent('orphaned', { type: 'connection.reauth_required' }),
      );
      await store.webhooks.deleteEndpoint('w2');
      await store.connectionEvents.record(
        connectionEvent('recent', { type: 'connection.recovered', createdAt: T0 + 100 }),
      );
      const cutoff = T0 + 50;

      expect(await store.connectionEvents.deleteWithoutDeliveries(cutoff, 2)).toBe(2);
      expect(await store.connectionEvents.deleteWithoutDeliveries(cutoff, 10)).toBe(1);
      expect(await store.connectionEvents.deleteWithoutDeliveries(cutoff, 10)).toBe(0);
      expect(await store.connectionEvents.deleteWithoutDeliveries(T0 + 101, 10)).toBe(1);
      expect(
        await store.connectionEvents.deleteWithoutDeliveries(Number.MAX_SAFE_INTEGER, 10),
      ).toBe(0);
      expect(await store.webhooks.findDelivery('pending', 'w1')).toMatchObject({
        status: 'pending',
        event: connectionEvent('pending'),
      });
    });
  });
}
