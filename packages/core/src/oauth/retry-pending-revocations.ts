import type { CoreDeps } from '../deps';
import type { PendingRevocation } from '../store';
import { recordAudit } from './audit';
import { pendingRevocationLocation, REVOCATION_RETRY_DELAY_MS } from './disconnect-connection';
import { revokeToken } from './revoke-token';

export interface RevocationRetryReport {
  revoked: number;
  rescheduled: number;
  abandoned: number;
}

/** After this many attempts (about three days with the doubling delay) a revocation is dropped. */
export const MAX_REVOCATION_ATTEMPTS = 12;
const BATCH = 100;

/** The retry job: revokes queued tokens whose time has come, with exponential backoff. */
export async function retryPendingRevocations(deps: CoreDeps): Promise<RevocationRetryReport> {
  const report: RevocationRetryReport = { revoked: 0, rescheduled: 0, abandoned: 0 };
  for (const pending of await deps.store.pendingRevocations.due(deps.now(), BATCH)) {
    report[await retryOne(deps, pending)] += 1;
  }
  return report;
}

async function retryOne(
  deps: CoreDeps,
  pending: PendingRevocation,
): Promise<keyof RevocationRetryReport> {
  const connector = await deps.store.connectors.findById(pending.connectorId);
  try {
    // A deleted connector cascades its queue away; this only guards a race with the delete.
    if (!connector) throw new Error('connector gone');
    const token = deps.vault.decrypt(pending.sealedToken, pendingRevocationLocation(pending.id));
    await revokeToken(deps, connector, token, pending.tokenTypeHint);
  } catch {
    if (pending.attempts >= MAX_REVOCATION_ATTEMPTS || !connector) {
      await deps.store.pendingRevocations.delete(pending.id);
      await recordAudit(deps.store, deps.now(), {
        action: 'oauth_revocation_abandoned',
        outcome: 'failure',
        reason: connector
          ? `${pending.tokenTypeHint}_after_${pending.attempts}_attempts`
          : 'connector_deleted',
        actorUserId: pending.userId,
        connectorId: pending.connectorId,
      });
      return 'abandoned';
    }
    const delay = REVOCATION_RETRY_DELAY_MS * 2 ** pending.attempts;
    await deps.store.pendingRevocations.reschedule(
      pending.id,
      pending.attempts + 1,
      deps.now() + delay,
    );
    return 'rescheduled';
  }
  await deps.store.pendingRevocations.delete(pending.id);
  await recordAudit(deps.store, deps.now(), {
    action: 'oauth_revoked_later',
    actorUserId: pending.userId,
    connectorId: pending.connectorId,
  });
  return 'revoked';
}
