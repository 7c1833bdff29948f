import { LatchkeyError } from '../errors/latchkey-error';

export interface BoundedQueueLimits {
  /** Tasks that run at once. */
  concurrency: number;
  /** Tasks that may wait for a free slot; the next one is refused. */
  maxWaiting: number;
}

export interface BoundedQueueStats {
  running: number;
  waiting: number;
  /** The most tasks ever seen running at once. */
  peakRunning: number;
  /** Tasks refused because the waiting room was full. */
  refused: number;
}

export interface BoundedQueue {
  /**
   * Runs `task` once a slot is free, in arrival order. When `maxWaiting` tasks already wait,
   * throws `server_busy` at once (with a retry delay) and never runs `task`.
   */
  run<T>(task: () => Promise<T>): Promise<T>;
  stats(): BoundedQueueStats;
}

/** What a refused client is told to wait: a full waiting room drains within about that. */
const RETRY_AFTER_S = 1;

/**
 * A semaphore with a bounded waiting room, for CPU- and memory-heavy work that clients can
 * trigger at will (scrypt): the work at once and the callers held in memory both stay bounded,
 * and whoever finds the room full learns it immediately instead of piling up.
 */
export function createBoundedQueue(limits: BoundedQueueLimits): BoundedQueue {
  const waiting: Array<() => void> = [];
  let running = 0;
  let peakRunning = 0;
  let refused = 0;

  async function acquire(): Promise<void> {
    if (running < limits.concurrency) {
      running += 1;
      peakRunning = Math.max(peakRunning, running);
      return;
    }
    if (waiting.length >= limits.maxWaiting) {
      refused += 1;
      throw LatchkeyError.retryLater('server_busy', RETRY_AFTER_S);
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }

  // A finished task hands its slot straight to the next waiter, so a newcomer arriving in
  // between cannot take it and make the waiter run beside it.
  function release(): void {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }

  return {
    async run(task) {
      await acquire();
      try {
        return await task();
      } finally {
        release();
      }
    },
    stats: () => ({ running, waiting: waiting.length, peakRunning, refused }),
  };
}
