import type { Store } from '@latchkey/core';

const TTL_MS = 2_000;

/**
 * Prototype of a read-through cache for the rows every key call reads but that rarely
 * change: the API key (by hash), the connector and the acting user. Entries live 2 s, so a
 * revoked key, an edited connector or a deleted user takes effect within 2 s on every
 * instance (a deleted user's connections are gone at once: they cascade). Connections are
 * not cached: their tokens and status must be read fresh.
 */
export function cacheHotRows(store: Store): void {
  store.apiKeys.findByHash = cached(store.apiKeys.findByHash.bind(store.apiKeys));
  store.connectors.findById = cached(store.connectors.findById.bind(store.connectors));
  store.users.findById = cached(store.users.findById.bind(store.users));
}

function cached<T>(read: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const entries = new Map<string, { value: Promise<T>; expiresAt: number }>();
  return (key) => {
    const now = Date.now();
    const hit = entries.get(key);
    if (hit && hit.expiresAt > now) return hit.value;
    const value = read(key);
    entries.set(key, { value, expiresAt: now + TTL_MS });
    value.catch(() => entries.delete(key));
    return value;
  };
}
