import type {
  ApiKeyRepository,
  ConnectorRepository,
  StoredApiKey,
  StoredConnector,
} from '@latchkey/core';
import { createReadCache, type ReadCache } from '../read-cache';

/**
 * Long enough to spare most reads under load, short enough for a revocation to spread: the
 * bound the Store contract promises for another instance's write to be seen.
 */
export const READ_CACHE_TTL_MS = 2000;
const MAX_ENTRIES = 10_000;

export interface StoreCaches {
  connectors: ReadCache<StoredConnector>;
  apiKeys: ReadCache<StoredApiKey>;
}

export function createStoreCaches(): StoreCaches {
  return {
    connectors: createReadCache(READ_CACHE_TTL_MS, MAX_ENTRIES),
    apiKeys: createReadCache(READ_CACHE_TTL_MS, MAX_ENTRIES),
  };
}

/** Connector by id, cached; every write through this repository drops the entry. */
export function cachedConnectors(
  repository: ConnectorRepository,
  cache: ReadCache<StoredConnector>,
): ConnectorRepository {
  return {
    ...repository,
    async findById(id) {
      const cached = cache.get(id);
      if (cached) return cached;
      const ticket = cache.begin();
      const connector = await repository.findById(id);
      if (connector) cache.set(id, connector, ticket);
      return connector;
    },
    // Dropped after the write, and the cache refuses any read that began before the drop.
    async update(connector) {
      const updated = await repository.update(connector);
      cache.delete(connector.id);
      return updated;
    },
    async delete(id) {
      const deleted = await repository.delete(id);
      cache.delete(id);
      return deleted;
    },
  };
}

/** API key by hash, cached; a revocation through this store drops every cached key. */
export function cachedApiKeys(
  repository: ApiKeyRepository,
  cache: ReadCache<StoredApiKey>,
): ApiKeyRepository {
  return {
    ...repository,
    async findByHash(keyHash) {
      const cached = cache.get(keyHash);
      if (cached) return cached;
      const ticket = cache.begin();
      const key = await repository.findByHash(keyHash);
      if (key) cache.set(keyHash, key, ticket);
      return key;
    },
    async revoke(id, now) {
      const revoked = await repository.revoke(id, now);
      // After the write; the cache refuses the live key from a read that began before it.
      cache.clear();
      return revoked;
    },
    async touch(id, now, minIntervalMs) {
      // The cached copy must show the use, or every call in the next TTL would write again.
      for (const key of cache.values()) if (key.id === id) key.lastUsedAt = now;
      return repository.touch(id, now, minIntervalMs);
    },
  };
}
