import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createReadCache } from './read-cache';

const TTL_MS = 2000;

describe('read cache', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('expires an entry ttl after its read began, however long the read took', () => {
    const cache = createReadCache<string>(TTL_MS, 10);
    const ticket = cache.begin();
    // A slow read: its row may be another instance's old value from the moment it began.
    vi.advanceTimersByTime(1500);
    cache.set('row', 'old', ticket);
    expect(cache.get('row')).toBe('old');
    vi.advanceTimersByTime(TTL_MS - 1500 - 1);
    expect(cache.get('row')).toBe('old');
    vi.advanceTimersByTime(1);
    expect(cache.get('row')).toBeUndefined();
  });

  it('refuses a read that began before a delete or a clear, and takes the next one', () => {
    const cache = createReadCache<string>(TTL_MS, 10);
    for (const drop of [() => cache.delete('other'), () => cache.clear()]) {
      const before = cache.begin();
      drop();
      cache.set('row', 'old', before);
      expect(cache.get('row')).toBeUndefined();
      cache.set('row', 'new', cache.begin());
      expect(cache.get('row')).toBe('new');
      cache.clear();
    }
  });
});
