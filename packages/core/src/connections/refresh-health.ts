import type { CoreDeps } from '../deps';
import { recordAudit } from '../oauth/audit';
import type { ConnectedConnection, RefreshFailure, Store } from '../store';
import { nextRefreshFailure } from './refresh-cool-down';

/**
 * How a connection's health moved: `refresh_failed` when a healthy connection's refresh
 * failed transiently, `recovered` when a failing one's refresh succeeded. These are the
 * moments its `connection.refresh_failed` and `connection.recovered` events belong to.
 */
export type RefreshHealthTransition = 'refresh_failed' | 'recovered';

/**
 * Records a transient refresh failure and the cool-down it sets, with its audit event, in
 * one transaction; `undefined` when the connection changed since it was read (reconnected,
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
      await recordHealthTransition(store, connection, 'refresh_failed', code);
    }
    return failure;
  });
}

/**
 * Swaps the renewed row in over `current` (compare-and-swap on its version); when `current`
 * was failing, in one transaction with the audit of its recovery.
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
    await recordHealthTransition(store, current, 'recovered');
    return true;
  });
}

/**
 * Where the connection's event is written, in the transaction of the change. The outbox that
 * delivers events as webhooks is built on another branch; until it is merged, the audit
 * event written beside this call is the only record of the transition.
 */
async function recordHealthTransition(
  _store: Store,
  _connection: ConnectedConnection,
  _transition: RefreshHealthTransition,
  _reason?: string,
): Promise<void> {}
