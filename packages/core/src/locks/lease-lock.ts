import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { LatchkeyError } from '../errors/latchkey-error';
import type { Store } from '../store';

interface LeaseOptions {
  store: Store;
  /** Who holds it: one id per process. */
  holder: string;
  now: () => number;
  /** How long the lease lives if its holder dies without releasing it. */
  ttlMs: number;
  /** How long to wait for a lease another instance holds; then `refresh_busy`. */
  waitMs: number;
  /** Told how long the caller waited for the lease, and whether it got it. */
  onWaited: (seconds: number, acquired: boolean) => void;
}

const POLL_MS = 20;
/** A live holder finishes within a provider round trip; a dead one's lease runs out. */
const BUSY_RETRY_AFTER_S = 1;

/**
 * Runs `work` while holding the named database lease. This is the cross-instance half of a
 * lock; callers put an in-process single flight in front so one process polls at most once.
 * PostgreSQL may later supply an advisory lock behind the same `store.leases` interface.
 */
export async function withLease<T>(
  name: string,
  options: LeaseOptions,
  work: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  const deadline = Date.now() + options.waitMs;
  while (
    !(await options.store.leases.tryAcquire(name, options.holder, options.now(), options.ttlMs))
  ) {
    if (Date.now() >= deadline) {
      options.onWaited((performance.now() - started) / 1000, false);
      throw LatchkeyError.retryLater('refresh_busy', BUSY_RETRY_AFTER_S);
    }
    await sleep(POLL_MS);
  }
  options.onWaited((performance.now() - started) / 1000, true);
  try {
    return await work();
  } finally {
    await options.store.leases.release(name, options.holder);
  }
}
