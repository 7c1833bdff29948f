import { describe, expect, it } from 'vitest';
import { READ_CACHE_TTL_MS } from '../repositories/cached-reads';
import { connection, connector, oauthState, revocation, skipCacheTime, user } from './fixtures';
import type { ContractContext } from './store-contract';

export function connectorsContract(context: () => ContractContext): void {
  describe('connectors', () => {
    it('finds an inserted connector by id and by name, config as stored', async () => {
      const { store } = context();
      await store.connectors.insert(connector('c1', { name: 'GitHub', configVersion: 7 }));
      expect(await store.connectors.findById('c1')).toEqual(
        connector('c1', { name: 'GitHub', configVersion: 7 }),
      );
      expect((await store.connectors.findByName('GitHub'))?.id).toBe('c1');
      expect(await store.connectors.findByName('github')).toBeUndefined();
      expect(await store.connectors.findById('c2')).toBeUndefined();
      await expect(store.connectors.insert(connector('c2', { name: 'GitHub' }))).rejects.toThrow();
    });

    it('lists connectors by name in code point order', async () => {
      const { store } = context();
      for (const [id, name] of [
        ['c1', 'slack'],
        ['c2', 'GitHub'],
        ['c3', 'google'],
      ] as const) {
        await store.connectors.insert(connector(id, { name }));
      }
      expect((await store.connectors.list()).map((c) => c.name)).toEqual([
        'GitHub',
        'google',
        'slack',
      ]);
    });

    it('updates all but the creation time, and says whether it existed', async () => {
      const { store } = context();
      await store.connectors.insert(connector('c1'));
      const changed = connector('c1', { name: 'Renamed', configVersion: 2, updatedAt: 9 });
      expect(await store.connectors.update({ ...changed, createdAt: 1 })).toBe(true);
      expect(await store.connectors.findById('c1')).toEqual(changed);
      expect(await store.connectors.update(connector('c2'))).toBe(false);
    });

    it('deletes a connector with its connections and flows, not its queued revocations', async () => {
      const { store } = context();
      await store.users.insert(user('user-1'));
      await store.connectors.insert(connector('connector-1'));
      await store.connections.save(connection('connector-1', 'user-1'));
      await store.oauthStates.insert(oauthState('state-1', 'connector-1', 'user-1'));
      await store.pendingRevocations.insert(revocation('r1'));
      expect(await store.connectors.delete('connector-1')).toBe(true);
      expect(await store.connectors.delete('connector-1')).toBe(false);
      expect(await store.connectors.findById('connector-1')).toBeUndefined();
      expect(await store.connections.find('connector-1', 'user-1')).toBeUndefined();
      expect(await store.oauthStates.find('state-1')).toBeUndefined();
      expect((await store.pendingRevocations.due(Number.MAX_SAFE_INTEGER, 10)).length).toBe(1);
    });
  });

  describe('connectors: the read cache of findById', () => {
    it("shows this store's own update and delete at once", async () => {
      const { store } = context();
      await store.connectors.insert(connector('c1'));
      await store.connectors.findById('c1');
      await store.connectors.update(connector('c1', { configVersion: 2 }));
      expect((await store.connectors.findById('c1'))?.configVersion).toBe(2);
      await store.connectors.delete('c1');
      expect(await store.connectors.findById('c1')).toBeUndefined();
    });

    it("shows another instance's change within the cache's bound, not later", async () => {
      const { store, peer } = context();
      const other = await peer();
      await store.connectors.insert(connector('c1'));
      await store.connectors.findById('c1');
      await other.connectors.update(connector('c1', { configVersion: 2 }));
      await other.connectors.insert(connector('c2'));
      // A miss is never cached: a new connector shows at once.
      expect(await store.connectors.findById('c2')).toBeDefined();
      expect((await store.connectors.findById('c1'))?.configVersion).toBe(1);
      skipCacheTime(READ_CACHE_TTL_MS + 1);
      expect((await store.connectors.findById('c1'))?.configVersion).toBe(2);
    });

    it('never caches the old row from a read that raced an update', async () => {
      const { store } = context();
      await store.connectors.insert(connector('c1'));
      const racingRead = store.connectors.findById('c1');
      await store.connectors.update(connector('c1', { configVersion: 2 }));
      await racingRead;
      expect((await store.connectors.findById('c1'))?.configVersion).toBe(2);
    });

    it('is bypassed inside a transaction, and dropped when one commits', async () => {
      const { store, peer } = context();
      const other = await peer();
      await store.connectors.insert(connector('c1'));
      await store.connectors.findById('c1');
      await other.connectors.update(connector('c1', { configVersion: 2 }));
      await store.transaction(async (trx) => {
        expect((await trx.connectors.findById('c1'))?.configVersion).toBe(2);
      });
      expect((await store.connectors.findById('c1'))?.configVersion).toBe(2);
    });
  });
}
