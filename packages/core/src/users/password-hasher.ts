import type { BoundedQueueLimits, BoundedQueueStats } from '../locks/bounded-queue';
import { createBoundedQueue } from '../locks/bounded-queue';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from './passwords';

/**
 * The only way the service hashes or checks a password. Each scrypt call takes about 128 MiB
 * and a libuv thread for a noticeable time, and anyone can ask for one (a login with a made-up
 * username), so all of them share one bounded queue; beyond it: `503 server_busy`.
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /**
   * Checks `password` against `stored`. Without a stored hash (an unknown user) it checks
   * against a dummy hash: the same cost and answer time, so no username oracle.
   */
  verify(password: string, stored: string | undefined): Promise<boolean>;
  stats(): BoundedQueueStats;
}

export function createPasswordHasher(limits: BoundedQueueLimits): PasswordHasher {
  const queue = createBoundedQueue(limits);
  return {
    hash: (password) => queue.run(() => hashPassword(password)),
    verify: (password, stored) =>
      queue.run(() => verifyPassword(password, stored ?? DUMMY_PASSWORD_HASH)),
    stats: () => queue.stats(),
  };
}
