import type { CoreDeps } from '../deps';
import { recordConnectionEvent } from '../events/connection-event';
import { recordAudit } from '../oauth/audit';
import type { StoredConnection } from '../store';
import { scopeTokens } from './granted-scopes';

/**
 * A connect changed the scopes a connection was granted: `connection.scopes_changed` in the
 * outbox, and in the audit log, both recorded with the store of the transaction that saved the connection (the
 * caller counts it once that commits). The details name scopes only, which are no secret.
 */
export async function recordScopesChanged(
  deps: CoreDeps,
  connection: StoredConnection,
  previousScopes: string | null,
): Promise<void> {
  const before = new Set(scopeTokens(previousScopes));
  const after = scopeTokens(connection.scopes);
  await recordConnectionEvent(deps.store, deps.now(), {
    type: 'connection.scopes_changed',
    connectorId: connection.connectorId,
    userId: connection.userId,
  });
  await recordAudit(deps.store, deps.now(), {
    action: 'connection_scopes_changed',
    actorUserId: connection.userId,
    connectorId: connection.connectorId,
    details: {
      added: after.filter((scope) => !before.has(scope)),
      removed: [...before].filter((scope) => !after.includes(scope)),
    },
  });
}
