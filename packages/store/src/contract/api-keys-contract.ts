import { describe, expect, it } from 'vitest';
import { READ_CACHE_TTL_MS } from '../repositories/cached-reads';
import { apiKey, skipCacheTime, T0 } from './fixtures';
import type { ContractContext } from './store-contract';

export function apiKeysContract(context: () => ContractContext): void {
  describe('apiKeys', () => {
    it('finds a key by the hash of its value, and lists keys oldest first', async () => {
      const { store } = context();
      await store.apiKeys.insert(apiKey('k2', { createdAt: T0 + 1, permissions: ['on_behalf'] }));
      await store.apiKeys.insert(apiKey('k1'));
      expect(await store.apiKeys.findByHash('hash-of-k1')).toEqual(apiKey('k1'));
      expect(await store.apiKeys.findByHash('hash-of-k3')).toBeUndefined();
      expect((await store.apiKeys.list()).map((k) => k.id)).toEqual(['k1', 'k2']);
      await expect(store.apiKeys.insert(apiKey('k3', { keyHash: 'hash-of-k1' }))).rejects.toThrow();
    });

    it('revokes a key once: a second revocation changes nothing', async () => {
      const { store } = context();
      await store.apiKeys.insert(apiKey('k1'));
      expect(await store.apiKeys.revoke('k1', T0 + 5)).toBe(true);
      expect(await store.apiKeys.revoke('k1', T0 + 6)).toBe(false);
      expect(await store.apiKeys.revoke('nope', T0 + 6)).toBe(false);
      expect((await store.apiKeys.findByHash('hash-of-k1'))?.revokedAt).toBe(T0 + 5);
    });

    it('touch records use only once the interval has passed', async () => {
      const { store, peer } = context();
      const other = await peer();
      await store.apiKeys.insert(apiKey('k1'));
      await store.apiKeys.touch('k1', T0 + 100, 1000);
      await store.apiKeys.touch('k1', T0 + 600, 1000);
      expect((await other.apiKeys.findByHash('hash-of-k1'))?.lastUsedAt).toBe(T0 + 100);
      await store.apiKeys.touch('k1', T0 + 1101, 1000);
      skipCacheTime(READ_CACHE_TTL_MS + 1);
      expect((await other.apiKeys.findByHash('hash-of-k1'))?.lastUsedAt).toBe(T0 + 1101);
    });
  });

  describe('apiKeys: the read cache of findByHash', () => {
    it('shows a touch and a revocation through this store at once', async () => {
      const { store } = context();
      await store.apiKeys.insert(apiKey('k1'));
      expect((await store.apiKeys.findByHash('hash-of-k1'))?.lastUsedAt).toBeNull();
      await store.apiKeys.touch('k1', T0 + 100, 1000);
      expect((await store.apiKeys.findByHash('hash-of-k1'))?.lastUsedAt).toBe(T0 + 100);
      await store.apiKeys.revoke('k1', T0 + 200);
      expect((await store.apiKeys.findByHash('hash-of-k1'))?.revokedAt).toBe(T0 + 200);
    });

    it("shows another instance's revocation within the cache's bound, not later", async () => {
      const { store, peer } = context();
      const other = await peer();
      await store.apiKeys.insert(apiKey('k1'));
      await store.apiKeys.findByHash('hash-of-k1');
      await other.apiKeys.revoke('k1', T0 + 5);
      await other.apiKeys.insert(apiKey('k2'));
      expect(await store.apiKeys.findByHash('hash-of-k2')).toBeDefined();
      expect((await store.apiKeys.findByHash('hash-of-k1'))?.revokedAt).toBeNull();
      skipCacheTime(READ_CACHE_TTL_MS + 1);
      expect((await store.apiKeys.findByHash('hash-of-k1'))?.revokedAt).toBe(T0 + 5);
    });

    it('never caches the live key from a read that raced the revocation', async () => {
      const { store } = context();
      await store.apiKeys.insert(apiKey('k1'));
      const racingRead = store.apiKeys.findByHash('hash-of-k1');
      await store.apiKeys.revoke('k1', T0 + 7);
      await racingRead;
      expect((await store.apiKeys.findByHash('hash-of-k1'))?.revokedAt).toBe(T0 + 7);
    });
  });
}
