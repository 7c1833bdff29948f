import { describe, expect, it } from 'vitest';
import { revocation, seedOwners, T0 } from './fixtures';
import type { ContractContext } from './store-contract';

export function pendingRevocationsContract(context: () => ContractContext): void {
  describe('pendingRevocations', () => {
    it('answers the due revocations, soonest first, at most `limit`', async () => {
      const { store } = context();
      await seedOwners(store);
      await store.pendingRevocations.insert(revocation('late', { nextAttemptAt: T0 + 1 }));
      await store.pendingRevocations.insert(revocation('second', { nextAttemptAt: T0 }));
      await store.pendingRevocations.insert(
        revocation('first', { nextAttemptAt: T0 - 5, sealedClient: null }),
      );
      await store.pendingRevocations.insert(revocation('third', { nextAttemptAt: T0 - 1 }));
      expect(await store.pendingRevocations.due(T0, 10)).toEqual([
        revocation('first', { nextAttemptAt: T0 - 5, sealedClient: null }),
        revocation('third', { nextAttemptAt: T0 - 1 }),
        revocation('second', { nextAttemptAt: T0 }),
      ]);
      expect((await store.pendingRevocations.due(T0, 2)).map((r) => r.id)).toEqual([
        'first',
        'third',
      ]);
    });

    it('reschedules and deletes one revocation', async () => {
      const { store } = context();
      await seedOwners(store);
      await store.pendingRevocations.insert(revocation('r1'));
      await store.pendingRevocations.insert(revocation('r2'));
      await store.pendingRevocations.reschedule('r1', 3, T0 + 60_000);
      await store.pendingRevocations.delete('r2');
      expect(await store.pendingRevocations.due(T0, 10)).toEqual([]);
      expect(await store.pendingRevocations.due(T0 + 60_000, 10)).toEqual([
        revocation('r1', { attempts: 3, nextAttemptAt: T0 + 60_000 }),
      ]);
    });

    it('keeps a revocation whose connector and user are gone', async () => {
      const { store } = context();
      await seedOwners(store);
      await store.pendingRevocations.insert(revocation('r1'));
      await store.connectors.delete('connector-1');
      await store.users.delete('user-1');
      expect(await store.pendingRevocations.due(T0, 10)).toEqual([revocation('r1')]);
    });
  });
}
