import { randomUUID } from 'node:crypto';
import { findPerUserConnector } from '../connectors/find-per-user-connector';
import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';
import { withLease } from '../locks/lease-lock';
import { failureOutcome } from '../metrics/core-metrics';
import { type AccessToken, isFresh, isIssuedFrom, toAccessToken } from './access-token';
import { type RefreshResult, type RenewedState, refreshConnection } from './refresh-connection';
import { coolingDownError, isCoolingDown, type RefreshOptions } from './refresh-cool-down';

export interface AccessTokens {
  /**
   * A usable access token of the user's connection, refreshed first when it is (nearly)
   * expired, or when it is still the `rejected` token (the API answered 401 to it). Within
   * a refresh failure's cool-down a needed refresh answers `provider_unavailable` without
   * asking the provider, unless `options.ignoreCoolDown`.
   */
  get(
    connectorId: string,
    userId: string,
    rejected?: AccessToken,
    options?: RefreshOptions,
  ): Promise<AccessToken>;
  /**
   * Refreshes the connection if it is still in state `renewed`, fresh or not, and answers
   * how: for the keep-alive job. Does not count as a use of the connection.
   */
  renew(connectorId: string, userId: string, renewed: RenewedState): Promise<RefreshResult>;
}

/**
 * A refresh holds its lease for at most two provider requests (discovery, then the token
 * endpoint), each bounded by the provider timeout. A holder that dies keeps it this long.
 */
function refreshLeaseTtlMs(deps: Pick<CoreDeps, 'oauth'>): number {
  return deps.oauth.providerTimeoutMs * 2;
}

/** Touch `last_used_at` at most this often: a hot connection must not write on every call. */
const TOUCH_INTERVAL_MS = 60 * 60 * 1000;

/**
 * One refresh at a time per connection (invariant 5): concurrent callers in this process
 * share one promise; across processes a database lease serialises them.
 */
export function createAccessTokens(deps: CoreDeps): AccessTokens {
  const holder = randomUUID();
  const inFlight = new Map<string, Promise<RefreshResult>>();

  function refreshOnce(
    connectorId: string,
    userId: string,
    rejected: RenewedState | undefined,
    options: RefreshOptions,
  ): Promise<RefreshResult> {
    const key = `${connectorId}:${userId}`;
    const running = inFlight.get(key);
    if (running) return running;
    const lease = {
      store: deps.store,
      holder,
      now: deps.now,
      ttlMs: refreshLeaseTtlMs(deps),
      waitMs: deps.oauth.refreshLockWaitMs,
      onWaited: (seconds: number, acquired: boolean) =>
        deps.metrics.leaseWaited('refresh', seconds, acquired),
    };
    const refresh = findPerUserConnector(deps, connectorId)
      .then((connector) =>
        withLease(`refresh:${key}`, lease, () =>
          refreshConnection(deps, connector, userId, rejected, options),
        ),
      )
      .then(
        (result) => {
          deps.metrics.refreshFinished(result.outcome);
          return result;
        },
        (error: unknown) => {
          deps.metrics.refreshFinished(failureOutcome(error));
          throw error;
        },
      )
      .finally(() => inFlight.delete(key));
    inFlight.set(key, refresh);
    return refresh;
  }

  return {
    async get(connectorId, userId, rejected, options = {}) {
      const connection = await deps.store.connections.find(connectorId, userId);
      if (!connection) throw new LatchkeyError('not_connected');
      if (connection.status === 'reauth_required') throw new LatchkeyError('reauth_required');
      const now = deps.now();
      if (connection.lastUsedAt < now - TOUCH_INTERVAL_MS) {
        await deps.store.connections.touch(connection.id, now, TOUCH_INTERVAL_MS);
      }
      const stale =
        rejected === undefined
          ? !isFresh(connection, now, deps.oauth.refreshMarginMs)
          : isIssuedFrom(connection, rejected);
      if (!stale) return toAccessToken(deps.vault, connection);
      if (!options.ignoreCoolDown && connection.refreshFailure && isCoolingDown(connection, now)) {
        deps.metrics.refreshDeferred();
        throw coolingDownError(connection.refreshFailure, now);
      }
      return (await refreshOnce(connectorId, userId, rejected, options)).token;
    },
    renew(connectorId, userId, renewed) {
      return refreshOnce(connectorId, userId, renewed, {});
    },
  };
}
