/**
 * A small time-bounded cache for rows that are read on every request and rarely written
 * (connectors, API keys). Writes through the same store drop the entries they touch; other
 * instances see a write within `ttlMs`. Misses are not cached, so a new row shows at once.
 */
export interface ReadCache<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
  delete(key: string): void;
  clear(): void;
  /** The live entries' values, to update in place what a write changed. */
  values(): IterableIterator<T>;
}

export function createReadCache<T>(ttlMs: number, maxEntries: number): ReadCache<T> {
  const entries = new Map<string, { value: T; expiresAt: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt > performance.now()) return entry.value;
      entries.delete(key);
      return undefined;
    },
    set(key, value) {
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { value, expiresAt: performance.now() + ttlMs });
    },
    delete: (key) => entries.delete(key),
    clear: () => entries.clear(),
    *values() {
      for (const entry of entries.values()) yield entry.value;
    },
  };
}
