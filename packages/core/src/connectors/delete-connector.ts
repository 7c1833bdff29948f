import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';
import { recordConnectionsDeleted } from '../events/connection-event';
import { recordAudit } from '../oauth/audit';
import { queueConnectionsRevocation } from '../oauth/revocation-queue';

export interface ConnectorDeletion {
  connectionsDeleted: number;
  /** Users' tokens queued for the revocation retry job to revoke at the provider. */
  revocationsQueued: number;
}

/**
 * Deletes a connector and, with it, every user's connection and pending flow. The users'
 * tokens are queued for revocation at the provider (RFC 7009) in the same transaction, each
 * with a sealed copy of the connector's client: the retry job revokes them after the
 * connector and its secrets are gone. The deletion and each connection queued are audited in
 * that transaction too, with `actorUserId`, the user deleting the connector, as actor.
 */
export async function deleteConnector(
  deps: CoreDeps,
  id: string,
  actorUserId: string,
): Promise<ConnectorDeletion> {
  return deps.store.transaction(async (store) => {
    const connector = await store.connectors.findById(id);
    if (!connector) throw new LatchkeyError('connector_not_found');
    const connections = await store.connections.takeForConnector(id);
    await recordConnectionsDeleted(store, deps.now(), connections, 'connector_deleted');
    const revocationsQueued = await queueConnectionsRevocation(
      { ...deps, store },
      connector,
      connections,
      'connector_deleted',
      actorUserId,
    );
    await store.connectors.delete(id);
    await recordAudit(store, deps.now(), {
      action: 'connector_deleted',
      actorUserId,
      connectorId: id,
      details: { connectionsDeleted: connections.length },
    });
    return { connectionsDeleted: connections.length, revocationsQueued };
  });
}
