import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';
import { recordConnectionsDeleted } from '../events/connection-event';
import { recordAudit } from '../oauth/audit';
import { queueConnectionsRevocationPerConnector } from '../oauth/revocation-queue';

export interface EndUserDeletion {
  connectionsDeleted: number;
  sessionsEnded: number;
  /** Their tokens queued for the revocation job to revoke at their providers at once. */
  revocationsQueued: number;
}

/**
 * Deletes an end user in one transaction: their connect sessions end, their connections go
 * and their tokens are queued for revocation (RFC 7009), audited with the deletion, and a
 * `connection.deleted` event is recorded for each connection.
 */
export async function deleteEndUser(
  deps: CoreDeps,
  externalId: string,
  by: { actorUserId?: string; apiKeyId?: string },
): Promise<EndUserDeletion> {
  return deps.store.transaction(async (tx) => {
    const endUser = await tx.endUsers.findByExternalId(externalId);
    if (!endUser) throw new LatchkeyError('end_user_not_found');
    const sessionsEnded = await tx.connectSessions.deleteForEndUser(externalId);
    const connections = await tx.connections.takeForUser(endUser.id);
    const revocationsQueued = await queueConnectionsRevocationPerConnector(
      { ...deps, store: tx },
      connections,
      'end_user_deleted',
      by.actorUserId,
    );
    // Before the end user's row goes: the events keep their external id from it.
    await recordConnectionsDeleted(tx, deps.now(), connections, 'end_user_deleted');
    await tx.endUsers.delete(endUser.id);
    await recordAudit(tx, deps.now(), {
      action: 'end_user_deleted',
      ...by,
      subjectUserId: endUser.id,
      details: { connections: connections.length, sessions: sessionsEnded },
    });
    return { connectionsDeleted: connections.length, sessionsEnded, revocationsQueued };
  });
}
