/**
 * Taken just before a database read and handed to `set` with its result: it tells the cache
 * whether a write dropped entries meanwhile, and from when the row can be stale.
 */
export interface ReadTicket {
  readonly generation: number;
  readonly startedAt: number;
}

/**
 * A small time-bounded cache for rows that are read on every request and rarely written
 * (connectors, API keys). Writes through the same store drop the entries they touch; other
 * instances see a write within `ttlMs` of its commit. Misses are not cached, so a new row
 * shows at once.
 */
export interface ReadCache<T> {
  get(key: string): T | undefined;
  /** Take one before each database read whose result may go to `set`. */
  begin(): ReadTicket;
  /**
   * Caches `value`, unless a `delete` or `clear` came after `ticket` was taken: a read that
   * began before a write must never put the old row back. A generation number settles it,
   * not timing. The entry expires `ttlMs` after the read began, not after it ended, so a
   * row another instance changed is never served more than `ttlMs` after that commit.
   */
  set(key: string, value: T, ticket: ReadTicket): void;
  delete(key: string): void;
  clear(): void;
  /** The live entries' values, to update in place what a write changed. */
  values(): IterableIterator<T>;
}

export function createReadCache<T>(ttlMs: number, maxEntries: number): ReadCache<T> {
  const entries = new Map<string, { value: T; expiresAt: number }>();
  let generation = 0;
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt > performance.now()) return entry.value;
      entries.delete(key);
      return undefined;
    },
    begin: () => ({ generation, startedAt: performance.now() }),
    set(key, value, ticket) {
      if (ticket.generation !== generation) return;
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { value, expiresAt: ticket.startedAt + ttlMs });
    },
    delete(key) {
      generation += 1;
      entries.delete(key);
    },
    clear() {
      generation += 1;
      entries.clear();
    },
    *values() {
      for (const entry of entries.values()) yield entry.value;
    },
  };
}
