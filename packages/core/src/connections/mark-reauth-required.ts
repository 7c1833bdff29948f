import type { CoreDeps } from '../deps';
import { recordConnectionEvent } from '../events/connection-event';
import { recordAudit } from '../oauth/audit';
import type { ConnectedConnection } from '../store';

/**
 * The grant is gone (RFC 6749 §5.2 `invalid_grant`, or a refresh token known to be expired):
 * drop the tokens and say so, rather than keep a "connected" that no longer works. `false`
 * when the connection changed since it was read, and nothing was marked.
 */
export async function markReauthRequired(
  deps: CoreDeps,
  connection: ConnectedConnection,
  reason: string,
): Promise<boolean> {
  const now = deps.now();
  const updated = await deps.store.transaction(async (store) => {
    const swapped = await store.connections.replaceIfVersion(
      {
        ...connection,
        status: 'reauth_required',
        sealedCredentials: null,
        expiresAt: null,
        refreshExpiresAt: null,
        refreshFailure: null,
        version: connection.version + 1,
        updatedAt: now,
      },
      connection.version,
    );
    if (swapped) {
      await recordConnectionEvent(store, now, {
        type: 'connection.reauth_required',
        connectorId: connection.connectorId,
        userId: connection.userId,
        reason,
      });
    }
    return swapped;
  });
  if (!updated) return false;
  await recordAudit(deps.store, now, {
    action: 'connection_reauth_required',
    outcome: 'failure',
    reason,
    subjectUserId: connection.userId,
    connectorId: connection.connectorId,
  });
  return true;
}
