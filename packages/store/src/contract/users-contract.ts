import { describe, expect, it } from 'vitest';
import { connection, connector, oauthState, seedOwners, user } from './fixtures';
import type { ContractContext } from './store-contract';

export function usersContract(context: () => ContractContext): void {
  describe('users', () => {
    it('finds an inserted user by id and by username, with times as numbers', async () => {
      const { store } = context();
      await store.users.insert(user('user-1', { username: 'alice', role: 'admin' }));
      expect(await store.users.findById('user-1')).toEqual(
        user('user-1', { username: 'alice', role: 'admin' }),
      );
      expect((await store.users.findByUsername('alice'))?.id).toBe('user-1');
      expect(await store.users.findById('nobody')).toBeUndefined();
      expect(await store.users.findByUsername('nobody')).toBeUndefined();
    });

    it('insertIfNoUsers inserts into an empty table, then never again', async () => {
      const { store } = context();
      const first = user('first', { username: 'admin', role: 'admin' });
      expect(await store.users.insertIfNoUsers(first)).toBe(true);
      expect(await store.users.insertIfNoUsers(user('second', { username: 'admin' }))).toBe(false);
      expect(await store.users.insertIfNoUsers(user('third', { username: 'other' }))).toBe(false);
      expect(await store.users.list()).toEqual([first]);
    });

    it('insertIfNoUsers: of several first admins racing, exactly one is inserted', async () => {
      const { store } = context();
      const results = await Promise.all(
        ['a', 'b', 'c', 'd'].map((id) =>
          store.users.insertIfNoUsers(user(id, { username: 'admin' })),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.users.count()).toBe(1);
      expect(await store.users.insertIfNoUsers(user('late', { username: 'late' }))).toBe(false);
    });

    it('compares usernames exactly: case matters, and a taken one is refused', async () => {
      const { store } = context();
      await store.users.insert(user('user-1', { username: 'alice' }));
      expect(await store.users.findByUsername('Alice')).toBeUndefined();
      await store.users.insert(user('user-2', { username: 'Alice' }));
      expect((await store.users.findByUsername('Alice'))?.id).toBe('user-2');
      await expect(store.users.insert(user('user-3', { username: 'alice' }))).rejects.toThrow();
      expect(await store.users.count()).toBe(2);
    });

    it('lists users by username in code point order', async () => {
      const { store } = context();
      for (const [id, username] of [
        ['u1', 'bob'],
        ['u2', 'Zed'],
        ['u3', 'alice'],
        ['u4', 'émile'],
        ['u5', 'a-b'],
        ['u6', 'ab'],
      ] as const) {
        await store.users.insert(user(id, { username }));
      }
      const names = (await store.users.list()).map((u) => u.username);
      expect(names).toEqual(['Zed', 'a-b', 'ab', 'alice', 'bob', 'émile']);
    });

    it('updates only the fields given, and says whether the user existed', async () => {
      const { store } = context();
      await store.users.insert(user('user-1'));
      expect(await store.users.update('user-1', { role: 'editor', updatedAt: 2 })).toBe(true);
      expect(await store.users.findById('user-1')).toEqual(
        user('user-1', { role: 'editor', updatedAt: 2 }),
      );
      expect(await store.users.update('user-1', { passwordHash: 'new-hash', updatedAt: 3 })).toBe(
        true,
      );
      expect(await store.users.findById('user-1')).toMatchObject({
        role: 'editor',
        passwordHash: 'new-hash',
        updatedAt: 3,
      });
      expect(await store.users.update('nobody', { role: 'admin', updatedAt: 4 })).toBe(false);
    });

    it('counts users, in all and by role', async () => {
      const { store } = context();
      expect(await store.users.count()).toBe(0);
      await store.users.insert(user('u1', { role: 'admin' }));
      await store.users.insert(user('u2', { role: 'viewer' }));
      await store.users.insert(user('u3', { role: 'viewer' }));
      expect(await store.users.count()).toBe(3);
      expect(await store.users.countByRole('admin')).toBe(1);
      expect(await store.users.countByRole('viewer')).toBe(2);
      expect(await store.users.countByRole('editor')).toBe(0);
    });

    it('deletes a user with their sessions, flows and connections', async () => {
      const { store } = context();
      await seedOwners(store);
      await store.sessions.insert({ idHash: 's1', userId: 'user-1', createdAt: 0, expiresAt: 1 });
      await store.oauthStates.insert(oauthState('state-1', 'connector-1', 'user-1'));
      await store.connections.save(connection('connector-1', 'user-1'));
      expect(await store.users.delete('user-1')).toBe(true);
      expect(await store.users.delete('user-1')).toBe(false);
      expect(await store.sessions.find('s1')).toBeUndefined();
      expect(await store.oauthStates.find('state-1')).toBeUndefined();
      expect(await store.connections.find('connector-1', 'user-1')).toBeUndefined();
      expect(await store.connectors.findById('connector-1')).toEqual(connector('connector-1'));
    });
  });
}
