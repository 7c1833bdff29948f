import type { AuditEvent } from '@latchkey/core';
import { describe, expect, it } from 'vitest';
import { auditEvent, nextTurn, T0 } from './fixtures';
import type { ContractContext } from './store-contract';

export function auditContract(context: () => ContractContext): void {
  describe('audit', () => {
    it('pages events newest first, ties by id, each page after the cursor', async () => {
      const { store } = context();
      const events = [
        auditEvent('e1', { createdAt: T0 }),
        auditEvent('e3', { createdAt: T0 + 1, details: { changes: { name: 'changed' } } }),
        auditEvent('e2', { createdAt: T0 + 1, outcome: 'failure', reason: 'revoked' }),
        auditEvent('e4', { createdAt: T0 + 2, actorUserId: 'a', apiKeyId: 'k' }),
      ];
      for (const event of events) await store.audit.append(event);
      const first = await store.audit.page(2);
      expect(first).toEqual([events[3], events[1]]);
      const last = first[1] as AuditEvent;
      expect(await store.audit.page(2, { createdAt: last.createdAt, id: last.id })).toEqual([
        events[2],
        events[0],
      ]);
      expect(await store.audit.page(10, { createdAt: T0, id: 'e1' })).toEqual([]);
    });

    it('deletes at most `limit` events older than the cutoff, oldest first', async () => {
      const { store } = context();
      for (let i = 0; i < 5; i++) {
        await store.audit.append(auditEvent(`e${i}`, { createdAt: T0 + i }));
      }
      expect(await store.audit.deleteOlderThan(T0 + 3, 2)).toBe(2);
      expect((await store.audit.page(10)).map((e) => e.id)).toEqual(['e4', 'e3', 'e2']);
      expect(await store.audit.deleteOlderThan(T0 + 3, 10)).toBe(1);
      expect(await store.audit.deleteOlderThan(T0 + 3, 10)).toBe(0);
    });
  });

  describe('audit: group commit of appends', () => {
    it('resolves each append once its event is committed, seen by another instance', async () => {
      const { store, peer } = context();
      const other = await peer();
      await store.audit.append(auditEvent('e1'));
      expect(await other.audit.page(10)).toEqual([auditEvent('e1')]);
    });

    // A few fit in one insert; 450 take more than one statement (a dialect may batch apart).
    it.each([3, 450])('writes every event appended in one turn: %i of them', async (count) => {
      const { store } = context();
      const events = Array.from({ length: count }, (_, i) =>
        auditEvent(`e${String(i).padStart(3, '0')}`),
      );
      await Promise.all(events.map((event) => store.audit.append(event)));
      expect(await store.audit.page(1000)).toEqual([...events].reverse());
    });

    it('fails every append of a batch that cannot be written, and stores none of it', async () => {
      const { store } = context();
      await store.audit.append(auditEvent('taken'));
      const results = await Promise.allSettled([
        store.audit.append(auditEvent('fine')),
        store.audit.append(auditEvent('taken', { createdAt: T0 + 1 })),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      expect(await store.audit.page(10)).toEqual([auditEvent('taken')]);
      await store.audit.append(auditEvent('fine'));
      expect(await store.audit.page(10)).toHaveLength(2);
    });

    it('inside a transaction, commits or rolls back with it', async () => {
      const { store } = context();
      await store.transaction(async (trx) => trx.audit.append(auditEvent('kept')));
      await store
        .transaction(async (trx) => {
          await trx.audit.append(auditEvent('undone'));
          throw new Error('roll back');
        })
        .catch(() => {});
      expect((await store.audit.page(10)).map((e) => e.id)).toEqual(['kept']);
    });

    it('outside a transaction, survives the rollback of one open meanwhile', async () => {
      const { store } = context();
      let appended: Promise<void> | undefined;
      await store
        .transaction(async (trx) => {
          await trx.audit.append(auditEvent('undone'));
          appended = store.audit.append(auditEvent('kept'));
          await nextTurn();
          await nextTurn();
          throw new Error('roll back');
        })
        .catch(() => {});
      await appended;
      expect((await store.audit.page(10)).map((e) => e.id)).toEqual(['kept']);
    });
  });
}
