import type { Store, UserRecord } from '@latchkey/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../open-store';

const user = (id: string, username: string): UserRecord => ({
  id,
  username,
  role: 'admin',
  passwordHash: 'not-a-real-hash',
  createdAt: 1,
  updatedAt: 1,
});

describe('users.insertIfNoUsers', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ dialect: 'sqlite', file: ':memory:' });
  });
  afterEach(() => store.close());

  it('inserts into an empty table, then never again, whatever the username', async () => {
    expect(await store.users.insertIfNoUsers(user('first', 'admin'))).toBe(true);
    expect(await store.users.insertIfNoUsers(user('second', 'admin'))).toBe(false);
    expect(await store.users.insertIfNoUsers(user('third', 'other'))).toBe(false);
    expect((await store.users.list()).map((u) => [u.id, u.username, u.createdAt])).toEqual([
      ['first', 'admin', 1],
    ]);
  });

  it('inserts nothing when another user already exists', async () => {
    await store.users.insert({ ...user('someone', 'someone'), role: 'viewer' });
    expect(await store.users.insertIfNoUsers(user('late', 'admin'))).toBe(false);
    expect(await store.users.count()).toBe(1);
  });
});
