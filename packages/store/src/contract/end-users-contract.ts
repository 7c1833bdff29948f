import type { StoredConnectSession } from '@latchkey/core';
import { describe, expect, it } from 'vitest';
import { apiKey, connection, connector, oauthState, T0, user } from './fixtures';
import type { ContractContext } from './store-contract';

const connectSession = (
  tokenHash: string,
  externalId: string,
  patch: Partial<StoredConnectSession> = {},
): StoredConnectSession => ({
  tokenHash,
  externalId,
  displayName: null,
  email: null,
  connectorIds: ['connector-1', 'connector-2'],
  returnUrl: 'https://app.example/done',
  apiKeyId: 'key-1',
  createdAt: T0,
  expiresAt: T0 + 1_800_000,
  ...patch,
});

export function endUsersContract(context: () => ContractContext): void {
  describe('end users', () => {
    it('ensures one end user per external id, keeping the first id and updating the profile given', async () => {
      const { store } = context();
      const first = await store.endUsers.ensure({
        id: 'eu-1',
        externalId: 'App User 1',
        displayName: 'Ada',
        now: T0,
      });
      expect(first).toEqual({
        id: 'eu-1',
        externalId: 'App User 1',
        displayName: 'Ada',
        email: null,
        createdAt: T0,
        updatedAt: T0,
      });
      const again = await store.endUsers.ensure({
        id: 'eu-2',
        externalId: 'App User 1',
        now: T0 + 5,
      });
      expect(again).toEqual(first);
      const renamed = await store.endUsers.ensure({
        id: 'eu-3',
        externalId: 'App User 1',
        email: 'ada@example.com',
        now: T0 + 9,
      });
      expect(renamed).toMatchObject({ id: 'eu-1', displayName: 'Ada', email: 'ada@example.com' });
      expect(renamed.updatedAt).toBe(T0 + 9);
      expect(await store.endUsers.findByExternalId('app user 1')).toBeUndefined();
    });

    it('gives concurrent callers on two instances one and the same end user', async () => {
      const { store, peer } = context();
      const other = await peer();
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 ? store : other).endUsers.ensure({ id: `eu-${i}`, externalId: 'same', now: T0 }),
        ),
      );
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
    });

    it('keeps end users out of every method of the users repository', async () => {
      const { store } = context();
      await store.users.insert(user('user-1', { role: 'admin' }));
      const endUser = await store.endUsers.ensure({ id: 'eu-1', externalId: 'x', now: T0 });
      expect(await store.users.findById(endUser.id)).toBeUndefined();
      expect(await store.users.findByUsername(`end-user:${endUser.id}`)).toBeUndefined();
      expect((await store.users.list()).map((u) => u.id)).toEqual(['user-1']);
      expect(await store.users.count()).toBe(1);
      expect(await store.users.countByRole('viewer')).toBe(0);
      expect(await store.users.update(endUser.id, { role: 'admin', updatedAt: T0 })).toBe(false);
      expect(await store.users.delete(endUser.id)).toBe(false);
      expect(await store.endUsers.findByExternalId('x')).toEqual(endUser);
      // And a Latchkey user is never an end user.
      expect(await store.endUsers.delete('user-1')).toBe(false);
      expect(await store.users.findById('user-1')).toBeDefined();
    });

    it('pages end users by external id in code point order', async () => {
      const { store } = context();
      for (const externalId of ['b', 'Z', 'a', 'c']) {
        await store.endUsers.ensure({ id: `eu-${externalId}`, externalId, now: T0 });
      }
      const first = await store.endUsers.page(2);
      expect(first.map((e) => e.externalId)).toEqual(['Z', 'a']);
      const next = await store.endUsers.page(2, 'a');
      expect(next.map((e) => e.externalId)).toEqual(['b', 'c']);
      expect(await store.endUsers.page(2, 'c')).toEqual([]);
    });

    it('deletes an end user with their flows and connections, which work as a user’s', async () => {
      const { store } = context();
      await store.connectors.insert(connector('connector-1'));
      const endUser = await store.endUsers.ensure({ id: 'eu-1', externalId: 'x', now: T0 });
      await store.connections.save(connection('connector-1', endUser.id));
      await store.oauthStates.insert(
        oauthState('state-1', 'connector-1', endUser.id, { connectSessionHash: 'session-1' }),
      );
      expect((await store.oauthStates.find('state-1'))?.connectSessionHash).toBe('session-1');
      expect(await store.endUsers.delete(endUser.id)).toBe(true);
      expect(await store.connections.find('connector-1', endUser.id)).toBeUndefined();
      expect(await store.oauthStates.find('state-1')).toBeUndefined();
      expect(await store.endUsers.findByExternalId('x')).toBeUndefined();
      expect(await store.endUsers.delete(endUser.id)).toBe(false);
    });
  });

  describe('connect sessions', () => {
    it('finds a session by its hash, exactly as stored, for an end user who need not exist', async () => {
      const { store } = context();
      await store.apiKeys.insert(apiKey('key-1'));
      const session = connectSession('hash-1', 'nobody-yet', { displayName: 'Ada' });
      await store.connectSessions.insert(session);
      expect(await store.connectSessions.find('hash-1')).toEqual({ ...session, apiKeyLive: true });
      const everyConnector = connectSession('hash-2', 'x', { connectorIds: null, returnUrl: null });
      await store.connectSessions.insert(everyConnector);
      expect(await store.connectSessions.find('hash-2')).toEqual({
        ...everyConnector,
        apiKeyLive: true,
      });
      expect(await store.connectSessions.find('hash-3')).toBeUndefined();
      await expect(store.connectSessions.insert(session)).rejects.toThrow();
    });

    it("reads its key's revocation by any instance at once, past the key cache", async () => {
      const { store, peer } = context();
      await store.apiKeys.insert(apiKey('key-1'));
      await store.connectSessions.insert(connectSession('made-by-1', 'alice'));
      await store.connectSessions.insert(
        connectSession('made-by-gone', 'bob', { apiKeyId: 'gone' }),
      );
      await store.connectSessions.insert(connectSession('made-by-none', 'bob', { apiKeyId: null }));
      // This store now holds the live key in its read cache.
      expect((await store.apiKeys.findByHash('hash-of-key-1'))?.revokedAt).toBeNull();
      await (await peer()).apiKeys.revoke('key-1', T0 + 5);
      expect((await store.apiKeys.findByHash('hash-of-key-1'))?.revokedAt).toBeNull();
      expect((await store.connectSessions.find('made-by-1'))?.apiKeyLive).toBe(false);
      expect((await store.connectSessions.find('made-by-gone'))?.apiKeyLive).toBe(false);
      expect((await store.connectSessions.find('made-by-none'))?.apiKeyLive).toBe(false);
    });

    it('deletes the sessions of one end user at once for every instance, and the expired ones', async () => {
      const { store, peer } = context();
      await store.connectSessions.insert(connectSession('a', 'alice'));
      await store.connectSessions.insert(connectSession('b', 'alice'));
      await store.connectSessions.insert(connectSession('c', 'bob', { expiresAt: T0 + 10 }));
      await store.connectSessions.insert(connectSession('d', 'bob', { expiresAt: T0 + 20 }));
      expect(await store.connectSessions.deleteForEndUser('alice')).toBe(2);
      expect(await (await peer()).connectSessions.find('a')).toBeUndefined();
      expect(await store.connectSessions.deleteExpired(T0 + 10)).toBe(1);
      expect(await store.connectSessions.find('c')).toBeUndefined();
      expect(await store.connectSessions.find('d')).toBeDefined();
    });
  });
}
