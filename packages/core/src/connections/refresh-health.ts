import type { CoreDeps } from '../deps';
import { recordConnectionEvent } from '../events/connection-event';
import { recordAudit } from '../oauth/audit';
import type { ConnectedConnection, RefreshFailure, Store } from '../store';
import { nextRefreshFailure } from './refresh-cool-down';

/**
 * How a connection's health moved: `refresh_failed` when a healthy connection's refresh
 * failed transiently (further failures in a row are not new events), `recovered` when a
 * failing one's refresh succeeded.
 */
export type RefreshHealthTransition = 'refresh_failed' | 'recovered';

/**
 * Records a transient refresh failure and the cool-down it sets, with its audit event and
 * (for the first in a row) its connection event, in one transaction; `undefined` when the connection changed since it was read (reconnected,
 * disconnected), which then has no failure of its own.
 */
export async function recordRefreshFailed(
  deps: CoreDeps,
  connection: ConnectedConnection,
  code: string,
): Promise<RefreshFailure | undefined> {
  const now = deps.now();
  const failure = nextRefreshFailure(connection.refreshFailure, code, now);
  return deps.store.transaction(async (store) => {
    const { id, version } = connection;
    if (!(await store.connections.recordRefreshFailure(id, version, failure))) return undefined;
    await recordAudit(store, now, {
      action: 'connection_refresh_failed',
      outcome: 'failure',
      reason: code,
      subjectUserId: connection.userId,
      connectorId: connection.connectorId,
      details: { failures: failure.failures, retryInSeconds: (failure.nextAttemptAt - now) / 1000 },
    });
    if (connection.refreshFailure === null) {
      await recordHealthTransition(store, now, connection, 'refresh_failed', code);
    }
    return failure;
  });
}

/**
 * Swaps the renewed row in over `current` (compare-and-swap on its version); when `current`
 * was failing, in one transaction with the audit and the event of its recovery.
 */
export async function swapInRenewed(
  deps: CoreDeps,
  current: ConnectedConnection,
  next: ConnectedConnection,
): Promise<boolean> {
  if (current.refreshFailure === null) {
    return deps.store.connections.replaceIfVersion(next, current.version);
  }
  const failures = current.refreshFailure.failures;
  return deps.store.transaction(async (store) => {
    if (!(await store.connections.replaceIfVersion(next, current.version))) return false;
    await recordAudit(store, next.updatedAt, {
      action: 'connection_recovered',
      subjectUserId: current.userId,
      connectorId: current.connectorId,
      details: { failures },
    });
    await recordHealthTransition(store, next.updatedAt, current, 'recovered');
    return true;
  });
}

/** The connection's event, written in the transaction of the change (the outbox). */
async function recordHealthTransition(
  store: Store,
  now: number,
  connection: ConnectedConnection,
  transition: RefreshHealthTransition,
  reason?: string,
): Promise<void> {
  await recordConnectionEvent(store, now, {
    type: `connection.${transition}`,
    connectorId: connection.connectorId,
    userId: connection.userId,
    ...(reason ? { reason } : {}),
  });
}
