/** One key's hits in its current fixed window, and the milliseconds the window has left. */
export interface Count {
  current: number;
  ttlMs: number;
}

export interface LocalCounters {
  increment(key: string, windowMs: number): Count;
}

interface Window {
  hits: number;
  endsAt: number;
}

/** Past this many keys the least recently counted is forgotten, so made-up keys cost no memory. */
const MAX_KEYS = 10_000;

/**
 * This instance's own fixed-window counters, least recently used first. They count every hit,
 * shared counters or not: when Redis stops answering, they already hold this instance's share
 * of the current windows.
 */
export function createLocalCounters(
  now: () => number = Date.now,
  maxKeys = MAX_KEYS,
): LocalCounters {
  const windows = new Map<string, Window>();
  return {
    increment(key, windowMs) {
      const at = now();
      let window = windows.get(key);
      windows.delete(key);
      if (!window || window.endsAt <= at) window = { hits: 0, endsAt: at + windowMs };
      window.hits += 1;
      windows.set(key, window);
      if (windows.size > maxKeys) forgetOldest(windows);
      return { current: window.hits, ttlMs: window.endsAt - at };
    },
  };
}

function forgetOldest(windows: Map<string, Window>): void {
  for (const key of windows.keys()) {
    windows.delete(key);
    return;
  }
}
