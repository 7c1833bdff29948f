import type { Store, StoredApiKey } from '@latchkey/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../dialects/sqlite';
import { createKyselyStore } from '../kysely-store';
import { migrateToLatest } from '../migrate';

const KEY: StoredApiKey = {
  id: 'key-1',
  name: 'app',
  keyHash: 'hash-1',
  permissions: ['proxy'],
  createdBy: 'admin-1',
  createdAt: 1_000,
  lastUsedAt: null,
  revokedAt: null,
};

describe('cached API keys', () => {
  let store: Store;

  beforeEach(async () => {
    const db = openSqlite(':memory:');
    await migrateToLatest(db);
    store = createKyselyStore(db);
    await store.users.insert({
      id: 'admin-1',
      username: 'admin',
      role: 'admin',
      passwordHash: 'not-a-real-hash',
      createdAt: 0,
      updatedAt: 0,
    });
    await store.apiKeys.insert({ ...KEY });
  });
  afterEach(() => store.close());

  it('show a touch at once, so the next calls do not write again', async () => {
    expect((await store.apiKeys.findByHash(KEY.keyHash))?.lastUsedAt).toBeNull();
    await store.apiKeys.touch(KEY.id, 5_000, 60_000);
    expect((await store.apiKeys.findByHash(KEY.keyHash))?.lastUsedAt).toBe(5_000);
  });

  it('drop a revoked key at once', async () => {
    expect(await store.apiKeys.findByHash(KEY.keyHash)).toBeDefined();
    await store.apiKeys.revoke(KEY.id, 6_000);
    expect((await store.apiKeys.findByHash(KEY.keyHash))?.revokedAt).toBe(6_000);
  });

  it('never cache the live key from a read that raced the revocation', async () => {
    const racingRead = store.apiKeys.findByHash(KEY.keyHash);
    await store.apiKeys.revoke(KEY.id, 7_000);
    await racingRead;
    expect((await store.apiKeys.findByHash(KEY.keyHash))?.revokedAt).toBe(7_000);
  });
});
