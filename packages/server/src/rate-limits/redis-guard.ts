import type { Logger } from 'pino';
import { failureSummary } from '../logger';

/** While Redis is failing, at most one request in this time asks it again. */
const PROBE_INTERVAL_MS = 1000;

export interface RedisGuard {
  /**
   * Runs a Redis command: its answer, or `undefined` when it failed or when Redis is known to
   * be failing and another request asked it less than a second ago (so a Redis that hangs
   * delays one request a second by the command timeout, not every request).
   */
  ask<T>(command: () => Promise<T>): Promise<T | undefined>;
  /** Records that Redis answered (a command, or a new connection that is ready). */
  answered(): void;
  /** Records a failed command or connection. */
  failed(error: unknown): void;
  isDegraded(): boolean;
}

/** Tracks whether Redis answers; logs each outage once when it starts, and once at its end. */
export function createRedisGuard(logger: Logger, now: () => number = Date.now): RedisGuard {
  let degraded = false;
  let nextProbeAt = 0;
  const guard: RedisGuard = {
    async ask(command) {
      if (degraded) {
        if (now() < nextProbeAt) return undefined;
        nextProbeAt = now() + PROBE_INTERVAL_MS;
      }
      try {
        const answer = await command();
        guard.answered();
        return answer;
      } catch (error) {
        guard.failed(error);
        return undefined;
      }
    },
    answered() {
      if (!degraded) return;
      degraded = false;
      logger.info('Redis answers again: rate limits are shared across instances again');
    },
    failed(error) {
      if (degraded) return;
      degraded = true;
      nextProbeAt = now() + PROBE_INTERVAL_MS;
      logger.warn(
        { failure: failureSummary(error) },
        'Redis is unreachable: rate limits are counted per instance until it answers again',
      );
    },
    isDegraded: () => degraded,
  };
  return guard;
}
