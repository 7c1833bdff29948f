import { describe, expect, it } from 'vitest';
import {
  connection,
  connector,
  nextTurn,
  reauthRequiredConnection,
  seedOwners,
  T0,
  user,
} from './fixtures';
import type { ContractContext } from './store-contract';

export function connectionsContract(context: () => ContractContext): void {
  describe('connections', () => {
    it('saves one connection per (connector, user) and finds it', async () => {
      const { store } = context();
      await seedOwners(store);
      const saved = connection('connector-1', 'user-1', { refreshExpiresAt: T0 + 86_400_000 });
      await store.connections.save(saved);
      expect(await store.connections.find('connector-1', 'user-1')).toEqual(saved);
      expect(await store.connections.find('connector-1', 'user-2')).toBeUndefined();
    });

    it('finds every field as it was saved, each value distinct', async () => {
      const { store } = context();
      await seedOwners(store);
      // No two fields alike, so a read that put one column in another's place shows.
      const saved = connection('connector-1', 'user-1', {
        scopes: 'read write',
        account: 'octocat',
        metadata: { instance_url: 'https://acme.my.salesforce.com' },
        expiresAt: T0 + 1,
        refreshExpiresAt: T0 + 2,
        version: 3,
        createdAt: T0 + 4,
        updatedAt: T0 + 5,
        lastUsedAt: T0 + 6,
        lastRefreshedAt: T0 + 7,
        refreshFailure: { code: 'provider_unavailable', failures: 8, nextAttemptAt: T0 + 9 },
      });
      await store.connections.save(saved);
      expect(await store.connections.find('connector-1', 'user-1')).toEqual(saved);
    });

    it('keeps the metadata a provider handed out, through save and compare-and-swap', async () => {
      const { store } = context();
      await seedOwners(store);
      const metadata = { instance_url: 'https://acme.my.salesforce.com', team_id: 'T1' };
      const saved = connection('connector-1', 'user-1', { metadata });
      await store.connections.save(saved);
      expect(await store.connections.find('connector-1', 'user-1')).toEqual(saved);
      const next = { ...saved, version: 2, metadata: { team_id: 'T2' } };
      expect(await store.connections.replaceIfVersion(next, 1)).toBe(true);
      expect((await store.connections.find('connector-1', 'user-1'))?.metadata).toEqual({
        team_id: 'T2',
      });
    });

    it('keeps the account and the granted scopes, null or not, through compare-and-swap', async () => {
      const { store } = context();
      await seedOwners(store);
      const saved = connection('connector-1', 'user-1', { account: null, scopes: null });
      await store.connections.save(saved);
      expect(await store.connections.find('connector-1', 'user-1')).toEqual(saved);
      const next = { ...saved, version: 2, account: 'octocat', scopes: 'repo,gist' };
      expect(await store.connections.replaceIfVersion(next, 1)).toBe(true);
      expect(await store.connections.find('connector-1', 'user-1')).toMatchObject({
        account: 'octocat',
        scopes: 'repo,gist',
      });
    });

    it('save replaces the row of the same pair, id included, keeping its creation time', async () => {
      const { store } = context();
      await seedOwners(store);
      await store.connections.save(connection('connector-1', 'user-1'));
      const again = {
        ...reauthRequiredConnection('connector-1', 'user-1'),
        id: 'another-id',
        version: 5,
        createdAt: T0 + 10,
        updatedAt: T0 + 10,
      };
      await store.connections.save(again);
      expect(await store.connections.find('connector-1', 'user-1')).toEqual({
        ...again,
        createdAt: T0,
      });
    });

    it('refuses a connection to an unknown connector or user', async () => {
      const { store } = context();
      await seedOwners(store);
      await expect(store.connections.save(connection('nope', 'user-1'))).rejects.toThrow();
      await expect(store.connections.save(connection('connector-1', 'nope'))).rejects.toThrow();
    });

    it("lists a user's connections by connector, and nobody else's", async () => {
      const { store } = context();
      await seedOwners(store);
      await store.users.insert(user('user-2'));
      await store.connectors.insert(connector('connector-2'));
      await store.connections.save(connection('connector-1', 'user-1'));
      await store.connections.save(reauthRequiredConnection('connector-2', 'user-1'));
      await store.connections.save(connection('connector-2', 'user-2'));
      expect(await store.connections.listForUser('user-1')).toEqual([
        connection('connector-1', 'user-1'),
        reauthRequiredConnection('connector-2', 'user-1'),
      ]);
      expect(await store.connections.listForUser('user-3')).toEqual([]);
    });

    it('replaceIfVersion writes only over the expected version', async () => {
      const { store } = context();
      await seedOwners(store);
      await store.connections.save(connection('connector-1', 'user-1', { version: 3 }));
      const next = connection('connector-1', 'user-1', { version: 4, sealedCredentials: 'new' });
      expect(await store.connections.replaceIfVersion(next, 2)).toBe(false);
      expect((await store.connections.find('connector-1', 'user-1'))?.version).toBe(3);
      expect(await store.connections.replaceIfVersion(next, 3)).toBe(true);
      expect(await store.connections.find('connector-1', 'user-1')).toEqual(next);
      expect(await store.connections.replaceIfVersion(next, 3)).toBe(false);
    });

    it('recordRefreshFailure writes the failure over the expected version, keeping it', async () => {
      const { store, peer } = context();
      await seedOwners(store);
      await store.connections.save(connection('connector-1', 'user-1', { version: 3 }));
      const failure = { code: 'provider_unavailable', failures: 2, nextAttemptAt: T0 + 60_000 };
      expect(
        await store.connections.recordRefreshFailure('connection-connector-1-user-1', 2, failure),
      ).toBe(false);
      expect((await store.connections.find('connector-1', 'user-1'))?.refreshFailure).toBeNull();
      expect(
        await store.connections.recordRefreshFailure('connection-connector-1-user-1', 3, failure),
      ).toBe(true);
      const other = await peer();
      expect(await other.connections.find('connector-1', 'user-1')).toEqual(
        connection('connector-1', 'user-1', { version: 3, refreshFailure: failure }),
      );
      // A success swaps in a row without the failure, and clears it.
      const renewed = connection('connector-1', 'user-1', { version: 4, lastRefreshedAt: T0 + 5 });
      expect(await store.connections.replaceIfVersion(renewed, 3)).toBe(true);
      expect(await other.connections.find('connector-1', 'user-1')).toEqual(renewed);
    });

    it('recordRefreshFailure leaves a connection that needs the user alone', async () => {
      const { store } = context();
      await seedOwners(store);
      await store.connections.save(reauthRequiredConnection('connector-1', 'user-1'));
      const failure = { code: 'provider_unavailable', failures: 1, nextAttemptAt: T0 };
      const { id, version } = reauthRequiredConnection('connector-1', 'user-1');
      expect(await store.connections.recordRefreshFailure(id, version, failure)).toBe(false);
      expect((await store.connections.find('connector-1', 'user-1'))?.refreshFailure).toBeNull();
    });

    it('dueForRefresh answers the connected connections of one connector that are due', async () => {
      const { store } = context();
      await seedOwners(store);
      for (const id of ['user-2', 'user-3', 'user-4', 'user-5', 'user-6']) {
        await store.users.insert(user(id));
      }
      await store.connectors.insert(connector('connector-2'));
      const hour = 3_600_000;
      const cooling = { code: 'provider_unavailable', failures: 1, nextAttemptAt: T0 + hour };
      const cooled = { ...cooling, nextAttemptAt: T0 };
      const rows = {
        expiring: connection('connector-1', 'user-1', { expiresAt: T0 + hour, updatedAt: T0 + 3 }),
        idle: connection('connector-1', 'user-2', { expiresAt: null, updatedAt: T0 - 30 * hour }),
        refreshExpiring: connection('connector-1', 'user-3', {
          expiresAt: null,
          refreshExpiresAt: T0 + hour,
          updatedAt: T0 + 1,
        }),
        fresh: connection('connector-1', 'user-4', { expiresAt: T0 + 9 * hour, updatedAt: T0 }),
        cooling: connection('connector-1', 'user-5', { expiresAt: T0, refreshFailure: cooling }),
        cooled: connection('connector-1', 'user-6', {
          expiresAt: T0,
          updatedAt: T0 + 2,
          refreshFailure: cooled,
        }),
        otherConnector: connection('connector-2', 'user-1', { expiresAt: T0 }),
      };
      for (const row of Object.values(rows)) await store.connections.save(row);
      await store.connections.save({
        ...reauthRequiredConnection('connector-2', 'user-2'),
        updatedAt: T0 - 30 * hour,
      });
      const limits = { now: T0, expiringBefore: T0 + 2 * hour, obtainedBefore: T0 - 24 * hour };
      expect(await store.connections.dueForRefresh('connector-1', limits, 10)).toEqual([
        rows.idle,
        rows.refreshExpiring,
        rows.cooled,
        rows.expiring,
      ]);
      expect(await store.connections.dueForRefresh('connector-1', limits, 2)).toEqual([
        rows.idle,
        rows.refreshExpiring,
      ]);
      const withoutIdle = { ...limits, obtainedBefore: null };
      expect(
        (await store.connections.dueForRefresh('connector-1', withoutIdle, 10)).map(
          (c) => c.userId,
        ),
      ).toEqual(['user-3', 'user-6', 'user-1']);
      expect(await store.connections.dueForRefresh('connector-2', limits, 10)).toEqual([
        rows.otherConnector,
      ]);
    });

    it('of concurrent replaceIfVersion calls on one version, exactly one wins', async () => {
      const { store, peer } = context();
      const other = await peer();
      await seedOwners(store);
      await store.connections.save(connection('connector-1', 'user-1', { version: 1 }));
      const attempts = Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? store : other).connections.replaceIfVersion(
          connection('connector-1', 'user-1', { version: 2, sealedCredentials: `by-${i}` }),
          1,
        ),
      );
      const won = (await Promise.all(attempts)).flatMap((ok, i) => (ok ? [i] : []));
      expect(won).toHaveLength(1);
      const stored = await store.connections.find('connector-1', 'user-1');
      expect(stored?.sealedCredentials).toBe(`by-${won[0]}`);
    });

    it('replaceIfVersion finds no row once the connection was taken', async () => {
      const { store } = context();
      await seedOwners(store);
      await store.connections.save(connection('connector-1', 'user-1'));
      await store.connections.take('connector-1', 'user-1');
      const next = connection('connector-1', 'user-1', { version: 2 });
      expect(await store.connections.replaceIfVersion(next, 1)).toBe(false);
      expect(await store.connections.find('connector-1', 'user-1')).toBeUndefined();
    });

    it('touch records use only once the interval has passed', async () => {
      const { store } = context();
      await seedOwners(store);
      const saved = connection('connector-1', 'user-1', { lastUsedAt: T0 });
      await store.connections.save(saved);
      await store.connections.touch(saved.id, T0 + 500, 1000);
      expect((await store.connections.find('connector-1', 'user-1'))?.lastUsedAt).toBe(T0);
      await store.connections.touch(saved.id, T0 + 1001, 1000);
      expect((await store.connections.find('connector-1', 'user-1'))?.lastUsedAt).toBe(T0 + 1001);
      expect((await store.connections.find('connector-1', 'user-1'))?.version).toBe(1);
    });

    it('take deletes and returns the connection to one caller only', async () => {
      const { store, peer } = context();
      const other = await peer();
      await seedOwners(store);
      const saved = connection('connector-1', 'user-1');
      await store.connections.save(saved);
      const takes = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 ? store : other).connections.take('connector-1', 'user-1'),
        ),
      );
      expect(takes.filter((taken) => taken !== undefined)).toEqual([saved]);
      expect(await store.connections.find('connector-1', 'user-1')).toBeUndefined();
    });

    it('takeForConnector, takeForUser and takeUnusedSince take exactly their rows', async () => {
      const { store } = context();
      await seedOwners(store);
      await store.users.insert(user('user-2'));
      await store.users.insert(user('user-3'));
      await store.connectors.insert(connector('connector-2'));
      const rows = [
        connection('connector-1', 'user-1', { lastUsedAt: T0 - 10 }),
        connection('connector-1', 'user-2', { lastUsedAt: T0 }),
        connection('connector-2', 'user-1', { lastUsedAt: T0 + 10 }),
        connection('connector-2', 'user-2', { lastUsedAt: T0 - 20 }),
        connection('connector-2', 'user-3', { lastUsedAt: T0 + 20 }),
      ];
      for (const row of rows) await store.connections.save(row);
      const byId = (list: { id: string }[]) => list.map((c) => c.id).sort();

      expect(byId(await store.connections.takeUnusedSince(T0))).toEqual(byId([rows[0], rows[3]]));
      expect(byId(await store.connections.takeForConnector('connector-1'))).toEqual(
        byId([rows[1]]),
      );
      expect(await store.connections.takeForUser('user-3')).toEqual([rows[4]]);
      expect(await store.connections.takeForUser('user-3')).toEqual([]);
      expect(byId(await store.connections.takeForUser('user-1'))).toEqual(byId([rows[2]]));
      expect(await store.connections.takeForConnector('connector-2')).toEqual([]);
    });
  });

  describe('connections: reads beside an open transaction', () => {
    it('find never returns a row of a transaction that is still open, then rolls back', async () => {
      const { store } = context();
      await seedOwners(store);
      const saved = connection('connector-1', 'user-1');
      let read: Promise<unknown> | undefined;
      await store
        .transaction(async (trx) => {
          await trx.connections.save(saved);
          read = store.connections.find('connector-1', 'user-1');
          await nextTurn();
          await nextTurn();
          throw new Error('roll back');
        })
        .catch((error: Error) => expect(error.message).toBe('roll back'));
      expect(await read).toBeUndefined();
      await store.connections.save(saved);
      expect(await store.connections.find('connector-1', 'user-1')).toEqual(saved);
    });
  });
}
