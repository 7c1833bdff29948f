import { describe, expect, it } from 'vitest';
import { createLocalCounters } from './local-counters';

describe('local rate-limit counters', () => {
  it('counts each key in a fixed window that starts at its first hit', () => {
    const clock = { now: 1_000 };
    const counters = createLocalCounters(() => clock.now);
    expect(counters.increment('login-account:a', 60_000)).toEqual({ current: 1, ttlMs: 60_000 });
    clock.now += 20_000;
    expect(counters.increment('login-account:a', 60_000)).toEqual({ current: 2, ttlMs: 40_000 });
    expect(counters.increment('login-account:b', 60_000)).toEqual({ current: 1, ttlMs: 60_000 });
    clock.now += 40_000;
    expect(counters.increment('login-account:a', 60_000)).toEqual({ current: 1, ttlMs: 60_000 });
  });

  it('forgets the least recently counted key past its size, not a key under attack', () => {
    const counters = createLocalCounters(() => 0, 3);
    counters.increment('victim', 60_000);
    for (const key of ['made-up-1', 'made-up-2', 'made-up-3', 'made-up-4']) {
      counters.increment(key, 60_000);
      counters.increment('victim', 60_000);
    }
    expect(counters.increment('victim', 60_000).current).toBe(6);
    expect(counters.increment('made-up-1', 60_000).current).toBe(1);
  });
});
