import { randomUUID } from 'node:crypto';
import { openCredentials } from '../connections/connection-credentials';
import type { PerUserConfig } from '../connectors/connector-schema';
import type { CoreDeps } from '../deps';
import type { StoredConnection, StoredConnector, TokenTypeHint } from '../store';
import { recordAudit } from './audit';
import { revokeToken } from './revoke-token';
import { findPerUserConnector } from './start-authorization-flow';

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
  const connection = await deps.store.connections.take(connector.id, input.userId);
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
  connector: StoredConnector,
  connection: StoredConnection,
): Promise<number> {
  if (!(connector.config as PerUserConfig).revocationUrl || !connection.sealedCredentials) return 0;
  const credentials = openCredentials(deps.vault, connection.id, connection.sealedCredentials);
  // The refresh token first: revoking it usually ends the grant and its access tokens.
  const tokens: [TokenTypeHint, string | undefined][] = [
    ['refresh_token', credentials.refreshToken],
    ['access_token', credentials.accessToken],
  ];
  let queued = 0;
  for (const [hint, token] of tokens) {
    if (!token) continue;
    try {
      await revokeToken(deps, connector, token, hint);
    } catch {
      await queueRevocation(deps, connection, token, hint);
      queued += 1;
    }
  }
  return queued;
}

export const REVOCATION_RETRY_DELAY_MS = 60_000;

async function queueRevocation(
  deps: CoreDeps,
  connection: StoredConnection,
  token: string,
  tokenTypeHint: TokenTypeHint,
) {
  const id = randomUUID();
  const now = deps.now();
  await deps.store.pendingRevocations.insert({
    id,
    connectorId: connection.connectorId,
    userId: connection.userId,
    sealedToken: deps.vault.encrypt(token, pendingRevocationLocation(id)),
    tokenTypeHint,
    attempts: 1,
    nextAttemptAt: now + REVOCATION_RETRY_DELAY_MS,
    createdAt: now,
  });
  await recordAudit(deps.store, now, {
    action: 'oauth_revocation_failed',
    outcome: 'failure',
    reason: `${tokenTypeHint}_queued`,
    actorUserId: connection.userId,
    connectorId: connection.connectorId,
  });
}

export function pendingRevocationLocation(id: string) {
  return { table: 'pending_revocations', column: 'token', rowId: id };
}
