import type { CoreDeps } from '../deps';
import type { PendingRevocation } from '../store';
import { recordAudit } from './audit';
import {
  clientOfPendingRevocation,
  pendingRevocationLocation,
  REVOCATION_RETRY_DELAY_MS,
} from './revocation-queue';
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
  const attempt = await attemptRevocation(deps, pending);
  if (attempt === 'revoked') {
    await deps.store.pendingRevocations.delete(pending.id);
    await recordAudit(deps.store, deps.now(), {
      action: 'oauth_revoked_later',
      subjectUserId: pending.userId,
      connectorId: pending.connectorId,
    });
    return 'revoked';
  }
  if (attempt === 'no_client') return abandon(deps, pending, 'connector_deleted');
  if (pending.attempts >= MAX_REVOCATION_ATTEMPTS) {
    return abandon(deps, pending, `${pending.tokenTypeHint}_after_${pending.attempts}_attempts`);
  }
  const delay = REVOCATION_RETRY_DELAY_MS * 2 ** pending.attempts;
  await deps.store.pendingRevocations.reschedule(
    pending.id,
    pending.attempts + 1,
    deps.now() + delay,
  );
  return 'rescheduled';
}

/** One try at the provider; `no_client` for an old row whose connector is gone. */
async function attemptRevocation(
  deps: CoreDeps,
  pending: PendingRevocation,
): Promise<'revoked' | 'failed' | 'no_client'> {
  try {
    const client = await clientOfPendingRevocation(deps, pending);
    if (!client) return 'no_client';
    const token = deps.vault.decrypt(pending.sealedToken, pendingRevocationLocation(pending.id));
    await revokeToken(deps, client, token, pending.tokenTypeHint);
    return 'revoked';
  } catch {
    return 'failed';
  }
}

async function abandon(
  deps: CoreDeps,
  pending: PendingRevocation,
  reason: string,
): Promise<'abandoned'> {
  await deps.store.pendingRevocations.delete(pending.id);
  await recordAudit(deps.store, deps.now(), {
    action: 'oauth_revocation_abandoned',
    outcome: 'failure',
    reason,
    subjectUserId: pending.userId,
    connectorId: pending.connectorId,
  });
  return 'abandoned';
}
