import type { ErrorCode } from '../errors/error-codes';
import { LatchkeyError } from '../errors/latchkey-error';

/**
 * How a refresh ended: new tokens stored (`refreshed`), another caller or instance had
 * refreshed while this one waited (`refreshed_elsewhere`), the connection changed under it
 * (`superseded`), or the error code it failed with (`reauth_required`, `refresh_busy`…).
 */
export type RefreshOutcome = 'refreshed' | 'refreshed_elsewhere' | 'superseded' | ErrorCode;

/** How an authorization flow ended: `connected`, `cancelled`, or the error code that ended it. */
export type FlowOutcome = 'connected' | 'cancelled' | ErrorCode;

/**
 * How a `_verify` ended: the grant works (`verified`), or the error code it failed with
 * (`reauth_required`, `provider_unavailable`…).
 */
export type VerifyOutcome = 'verified' | ErrorCode;

/** The cross-instance leases the domain waits for. */
export type LeaseKind = 'refresh';

/**
 * What the domain reports for monitoring; the server turns it into Prometheus series. Every
 * value is a bounded word or error code: never an id, a user name or a token.
 */
export interface CoreMetrics {
  flowStarted(): void;
  flowFinished(outcome: FlowOutcome): void;
  refreshFinished(outcome: RefreshOutcome): void;
  /** A call needed a refresh within a failure's cool-down, and was answered without one. */
  refreshDeferred(): void;
  /** Seconds spent waiting for a lease another holder had, and whether it was obtained. */
  leaseWaited(lease: LeaseKind, seconds: number, acquired: boolean): void;
  /** A connect changed the scopes a connection was granted. */
  scopesChanged(): void;
  /** A connection was checked on demand at its provider. */
  connectionVerified(outcome: VerifyOutcome): void;
}

/** For tools that run the domain without serving metrics (the CLI). */
export const NO_CORE_METRICS: CoreMetrics = {
  flowStarted() {},
  flowFinished() {},
  refreshFinished() {},
  refreshDeferred() {},
  leaseWaited() {},
  scopesChanged() {},
  connectionVerified() {},
};

/** The error code a failure counts under; anything unplanned is `internal_error`. */
export function failureOutcome(error: unknown): ErrorCode {
  return error instanceof LatchkeyError ? error.code : 'internal_error';
}
