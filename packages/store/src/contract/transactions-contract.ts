import type { Store } from '@latchkey/core';
import { describe, expect, it } from 'vitest';
import { auditEvent, connector, nextTurn, user } from './fixtures';
import type { ContractContext } from './store-contract';

/** The domain's "never delete the last admin": read, then write on what was read. */
async function deleteUnlessLastAdmin(store: Store, id: string): Promise<boolean> {
  return store.transaction(async (trx) => {
    if ((await trx.users.countByRole('admin')) <= 1) return false;
    await nextTurn();
    return trx.users.delete(id);
  });
}

export function transactionsContract(context: () => ContractContext): void {
  describe('transaction, ping and close', () => {
    it("commits the work's writes together and answers its result", async () => {
      const { store, peer } = context();
      const result = await store.transaction(async (trx) => {
        await trx.users.insert(user('user-1'));
        await trx.connectors.insert(connector('connector-1'));
        return 'done';
      });
      expect(result).toBe('done');
      const other = await peer();
      expect(await other.users.findById('user-1')).toBeDefined();
      expect(await other.connectors.findById('connector-1')).toBeDefined();
    });

    it('rolls every write back when the work throws, and passes the error on', async () => {
      const { store } = context();
      const failure = new Error('refused');
      await expect(
        store.transaction(async (trx) => {
          await trx.users.insert(user('user-1'));
          await trx.audit.append(auditEvent('e1'));
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await store.users.findById('user-1')).toBeUndefined();
      expect(await store.audit.page(10)).toEqual([]);
    });

    it('joins a transaction started inside one: both commit or roll back as one', async () => {
      const { store } = context();
      await store
        .transaction(async (outer) => {
          await outer.users.insert(user('user-1'));
          await outer.transaction(async (inner) => inner.users.insert(user('user-2')));
          throw new Error('roll back');
        })
        .catch(() => {});
      expect(await store.users.count()).toBe(0);
    });

    it('runs transactions one at a time: a check then a write is never stale', async () => {
      const { store } = context();
      await store.users.insert(user('admin-1', { username: 'a1', role: 'admin' }));
      await store.users.insert(user('admin-2', { username: 'a2', role: 'admin' }));
      const deleted = await Promise.all([
        deleteUnlessLastAdmin(store, 'admin-1'),
        deleteUnlessLastAdmin(store, 'admin-2'),
      ]);
      expect(deleted.filter(Boolean)).toHaveLength(1);
      expect(await store.users.countByRole('admin')).toBe(1);
    });

    it('across instances too, a check then a write never acts on a stale read', async () => {
      const { store, peer } = context();
      const other = await peer();
      await store.users.insert(user('admin-1', { username: 'a1', role: 'admin' }));
      await store.users.insert(user('admin-2', { username: 'a2', role: 'admin' }));
      // Serialised (PostgreSQL) or refused with an error (SQLite's stale snapshot): never both.
      await Promise.allSettled([
        deleteUnlessLastAdmin(store, 'admin-1'),
        deleteUnlessLastAdmin(other, 'admin-2'),
      ]);
      expect(await store.users.countByRole('admin')).toBe(1);
    });

    it('answers ping while open', async () => {
      const { store } = context();
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
