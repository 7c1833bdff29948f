import { describe, expect, it } from 'vitest';
import { connectionEvent, T0, webhookEndpoint } from './fixtures';
import type { ContractContext } from './store-contract';

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
      await store.webhooks.saveDelivery(attempted);
      expect(await store.webhooks.findDelivery('e1', 'w1')).toEqual(attempted);
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
}
