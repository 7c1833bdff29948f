import { LatchkeyError } from '../errors/latchkey-error';
import type { ConnectedConnection, RefreshFailure } from '../store';

/** The cool-down after the first transient refresh failure; it doubles with each further one. */
export const REFRESH_COOL_DOWN_BASE_MS = 30_000;
export const REFRESH_COOL_DOWN_MAX_MS = 15 * 60_000;

/** How the refresh path treats a connection cooling down after a failure. */
export interface RefreshOptions {
  /**
   * Ask the provider even within the cool-down: for an on-demand check an admin or app asked
   * for, never for calls that merely need a token.
   */
  ignoreCoolDown?: boolean;
}

function coolDownMs(failures: number): number {
  return Math.min(REFRESH_COOL_DOWN_BASE_MS * 2 ** (failures - 1), REFRESH_COOL_DOWN_MAX_MS);
}

/** The failure to record after `previous` (null: the first one since the last success). */
export function nextRefreshFailure(
  previous: RefreshFailure | null,
  code: string,
  now: number,
): RefreshFailure {
  const failures = (previous?.failures ?? 0) + 1;
  return { code, failures, nextAttemptAt: now + coolDownMs(failures) };
}

/**
 * Refuses a refresh within the connection's cool-down with the recorded failure, without a
 * request to the provider: a failing provider is not hammered by every call.
 */
export function assertNotCoolingDown(
  connection: ConnectedConnection,
  now: number,
  options: RefreshOptions,
): void {
  const failure = connection.refreshFailure;
  if (options.ignoreCoolDown || !failure || failure.nextAttemptAt <= now) return;
  throw coolingDownError(failure, now);
}

export function coolingDownError(failure: RefreshFailure, now: number): LatchkeyError {
  return LatchkeyError.retryLater(
    'provider_unavailable',
    Math.max(1, Math.ceil((failure.nextAttemptAt - now) / 1000)),
  );
}

export function isCoolingDown(connection: ConnectedConnection, now: number): boolean {
  const failure = connection.refreshFailure;
  return failure !== null && failure.nextAttemptAt > now;
}
