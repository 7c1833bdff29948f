import type { ApiKeyRepository, Store, StoredApiKey } from '@latchkey/core';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../database';
import { openSqlite } from '../dialects/sqlite';
import { createKyselyStore } from '../kysely-store';
import { migrateToLatest } from '../migrate';
import { createReadCache } from '../read-cache';
import { apiKeysRepository } from './api-keys-repository';
import { cachedApiKeys, READ_CACHE_TTL_MS } from './cached-reads';

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
  let db: Kysely<Database>;

  beforeEach(async () => {
    db = openSqlite(':memory:');
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

  it('never cache the live key from a read whose answer arrives after the revocation', async () => {
    const slow = slowReads(apiKeysRepository(db));
    const cached = cachedApiKeys(slow.repository, createReadCache(READ_CACHE_TTL_MS, 10));
    // The read has its row (the live key) before the revocation, and hands it back after.
    const racingRead = cached.findByHash(KEY.keyHash);
    await slow.answered;
    await cached.revoke(KEY.id, 8_000);
    slow.release();
    expect((await racingRead)?.revokedAt).toBeNull();
    expect((await cached.findByHash(KEY.keyHash))?.revokedAt).toBe(8_000);
  });
});

/** API key reads that fetch their row at once but hold the answer until `release`. */
function slowReads(repository: ApiKeyRepository) {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let answered = () => {};
  const answeredOnce = new Promise<void>((resolve) => {
    answered = resolve;
  });
  return {
    repository: {
      ...repository,
      async findByHash(keyHash: string) {
        const row = await repository.findByHash(keyHash);
        answered();
        await held;
        return row;
      },
    },
    answered: answeredOnce,
    release: () => release(),
  };
}
