import type {
  ApiKeyRepository,
  ConnectorRepository,
  StoredApiKey,
  StoredConnector,
} from '@latchkey/core';
import { createReadCache, type ReadCache } from '../read-cache';

/** Long enough to spare most reads under load, short enough for a revocation to spread. */
const TTL_MS = 2000;
const MAX_ENTRIES = 10_000;

export interface StoreCaches {
  connectors: ReadCache<StoredConnector>;
  apiKeys: ReadCache<StoredApiKey>;
}

export function createStoreCaches(): StoreCaches {
  return {
    connectors: createReadCache(TTL_MS, MAX_ENTRIES),
    apiKeys: createReadCache(TTL_MS, MAX_ENTRIES),
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
      const connector = await repository.findById(id);
      if (connector) cache.set(id, connector);
      return connector;
    },
    async update(connector) {
      cache.delete(connector.id);
      return repository.update(connector);
    },
    async delete(id) {
      cache.delete(id);
      return repository.delete(id);
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
      const key = await repository.findByHash(keyHash);
      if (key) cache.set(keyHash, key);
      return key;
    },
    async revoke(id, now) {
      cache.clear();
      return repository.revoke(id, now);
    },
    async touch(id, now, minIntervalMs) {
      // The cached copy must show the use, or every call in the next TTL would write again.
      for (const key of cache.values()) if (key.id === id) key.lastUsedAt = now;
      return repository.touch(id, now, minIntervalMs);
    },
  };
}
