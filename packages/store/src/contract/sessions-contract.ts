import type { SessionRecord } from '@latchkey/core';
import { describe, expect, it } from 'vitest';
import { T0, user } from './fixtures';
import type { ContractContext } from './store-contract';

const session = (idHash: string, userId: string, expiresAt: number): SessionRecord => ({
  idHash,
  userId,
  createdAt: T0,
  expiresAt,
});

export function sessionsContract(context: () => ContractContext): void {
  describe('sessions', () => {
    it('finds a session by the hash of its id, and deletes it', async () => {
      const { store } = context();
      await store.users.insert(user('user-1'));
      await store.sessions.insert(session('hash-1', 'user-1', T0 + 1000));
      expect(await store.sessions.find('hash-1')).toEqual(session('hash-1', 'user-1', T0 + 1000));
      expect(await store.sessions.find('hash-2')).toBeUndefined();
      await store.sessions.delete('hash-1');
      await store.sessions.delete('hash-1');
      expect(await store.sessions.find('hash-1')).toBeUndefined();
    });

    it('refuses a session of an unknown user', async () => {
      const { store } = context();
      await expect(store.sessions.insert(session('hash-1', 'nobody', T0))).rejects.toThrow();
    });

    it('deletes every session of one user, and only theirs', async () => {
      const { store } = context();
      await store.users.insert(user('user-1'));
      await store.users.insert(user('user-2'));
      await store.sessions.insert(session('a', 'user-1', T0));
      await store.sessions.insert(session('b', 'user-1', T0));
      await store.sessions.insert(session('c', 'user-2', T0));
      await store.sessions.deleteForUser('user-1');
      expect(await store.sessions.find('a')).toBeUndefined();
      expect(await store.sessions.find('b')).toBeUndefined();
      expect(await store.sessions.find('c')).toBeDefined();
    });

    it('deletes sessions expired at `now` (inclusive) and counts them', async () => {
      const { store } = context();
      await store.users.insert(user('user-1'));
      await store.sessions.insert(session('past', 'user-1', T0 - 1));
      await store.sessions.insert(session('now', 'user-1', T0));
      await store.sessions.insert(session('later', 'user-1', T0 + 1));
      expect(await store.sessions.deleteExpired(T0)).toBe(2);
      expect(await store.sessions.find('later')).toBeDefined();
      expect(await store.sessions.deleteExpired(T0)).toBe(0);
    });
  });
}
