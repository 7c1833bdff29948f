import type { CoreDeps } from '../deps';
import { queueConnectionsRevocation } from '../oauth/revocation-queue';
import type { StoredConnection } from '../store';

export interface PurgeReport {
  connectionsPurged: number;
  /** Tokens queued for the revocation retry job to revoke at their provider. */
  revocationsQueued: number;
}

/**
 * Deletes the connections nobody used since `cutoff` and queues their tokens for revocation
 * at the provider (RFC 7009), in one transaction: a token leaves the table only with its
 * revocation queued. The retry job sends the revocations; the purge waits on no provider.
 */
export async function purgeUnusedConnections(deps: CoreDeps, cutoff: number): Promise<PurgeReport> {
  return deps.store.transaction(async (store) => {
    const purged = await store.connections.takeUnusedSince(cutoff);
    let revocationsQueued = 0;
    for (const [connectorId, connections] of groupByConnector(purged)) {
      // Connections are deleted with their connector, so it exists within this transaction.
      const connector = await store.connectors.findById(connectorId);
      if (!connector) continue;
      revocationsQueued += await queueConnectionsRevocation(
        { ...deps, store },
        connector,
        connections,
      );
    }
    return { connectionsPurged: purged.length, revocationsQueued };
  });
}

function groupByConnector(connections: StoredConnection[]): Map<string, StoredConnection[]> {
  const groups = new Map<string, StoredConnection[]>();
  for (const connection of connections) {
    const group = groups.get(connection.connectorId) ?? [];
    group.push(connection);
    groups.set(connection.connectorId, group);
  }
  return groups;
}
