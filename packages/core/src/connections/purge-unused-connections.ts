import type { CoreDeps } from '../deps';
import { recordConnectionsDeleted } from '../events/connection-event';
import { queueConnectionsRevocationPerConnector } from '../oauth/revocation-queue';

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
    await recordConnectionsDeleted(store, deps.now(), purged, 'unused');
    const revocationsQueued = await queueConnectionsRevocationPerConnector(
      { ...deps, store },
      purged,
      'unused',
    );
    return { connectionsPurged: purged.length, revocationsQueued };
  });
}
