import { findPerUserConnector } from '../connectors/find-per-user-connector';
import type { CoreDeps } from '../deps';
import { recordConnectionEvent } from '../events/connection-event';
import type { StoredConnection, StoredPerUserConnector, TokenTypeHint } from '../store';
import { recordAudit } from './audit';
import { queueRevocation, REVOCATION_RETRY_DELAY_MS, tokensToRevoke } from './revocation-queue';
import {
  type RevocationClient,
  revocationClientOf,
  revokesTokens,
  revokeToken,
} from './revoke-token';

export interface DisconnectResult {
  disconnected: boolean;
  /** Tokens whose revocation failed and was queued for the retry job. */
  revocationsQueued: number;
}

/**
 * Deletes the caller's own tokens first (they are gone whatever the provider says), then
 * revokes them at the provider (RFC 7009). Failed revocations are queued, encrypted.
 */
export async function disconnectConnection(
  deps: CoreDeps,
  input: { connectorId: string; userId: string },
): Promise<DisconnectResult> {
  const connector = await findPerUserConnector(deps, input.connectorId);
  const connection = await deps.store.transaction(async (store) => {
    const taken = await store.connections.take(connector.id, input.userId);
    if (taken) {
      await recordConnectionEvent(store, deps.now(), {
        type: 'connection.disconnected',
        connectorId: connector.id,
        userId: input.userId,
      });
    }
    return taken;
  });
  if (!connection) return { disconnected: false, revocationsQueued: 0 };
  const revocationsQueued = await revokeConnectionTokens(deps, connector, connection);
  await recordAudit(deps.store, deps.now(), {
    action: 'oauth_disconnected',
    actorUserId: input.userId,
    connectorId: connector.id,
  });
  return { disconnected: true, revocationsQueued };
}

async function revokeConnectionTokens(
  deps: CoreDeps,
  connector: StoredPerUserConnector,
  connection: StoredConnection,
): Promise<number> {
  const tokens = tokensToRevoke(deps.vault, connector, connection);
  if (tokens.length === 0 || !(await revokesTokens(deps, connector))) return 0;
  const client = revocationClientOf(deps.vault, connector);
  let queued = 0;
  for (const [hint, token] of tokens) {
    try {
      await revokeToken(deps, client, token, hint);
    } catch {
      await queueFailedRevocation(deps, client, connection.userId, token, hint);
      queued += 1;
    }
  }
  return queued;
}

async function queueFailedRevocation(
  deps: CoreDeps,
  client: RevocationClient,
  userId: string,
  token: string,
  tokenTypeHint: TokenTypeHint,
) {
  const now = deps.now();
  await queueRevocation(deps, {
    client,
    userId,
    token,
    tokenTypeHint,
    attempts: 1,
    nextAttemptAt: now + REVOCATION_RETRY_DELAY_MS,
  });
  await recordAudit(deps.store, now, {
    action: 'oauth_revocation_failed',
    outcome: 'failure',
    reason: `${tokenTypeHint}_queued`,
    actorUserId: userId,
    connectorId: client.connector.id,
  });
}
