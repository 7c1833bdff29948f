import { randomUUID } from 'node:crypto';
import { openCredentials } from '../connections/connection-credentials';
import type { CoreDeps } from '../deps';
import type {
  PendingRevocation,
  StoredConnection,
  StoredConnector,
  StoredPerUserConnector,
  TokenTypeHint,
} from '../store';
import type { Vault } from '../vault/vault';
import { recordAudit } from './audit';
import {
  parseRevocationClient,
  quirkRevocationOf,
  type RevocationClient,
  revocationClientOf,
} from './revoke-token';

/** The first retry waits this long; each later one twice as long as the one before. */
export const REVOCATION_RETRY_DELAY_MS = 60_000;

export function pendingRevocationLocation(id: string) {
  return { table: 'pending_revocations', column: 'token', rowId: id };
}

function revocationClientLocation(id: string) {
  return { table: 'pending_revocations', column: 'client', rowId: id };
}

export interface RevocationToQueue {
  client: RevocationClient;
  userId: string;
  token: string;
  tokenTypeHint: TokenTypeHint;
  /** Attempts already made: 1 after a failed revocation, 0 when queued without trying. */
  attempts: number;
  nextAttemptAt: number;
}

/**
 * Queues a token for the retry job, sealed, beside its own sealed copy of the client that
 * revokes it: the revocation outlives the connector, and the token only ever goes to the
 * endpoint and client it was issued for, whatever the connector becomes meanwhile.
 */
export async function queueRevocation(deps: CoreDeps, revocation: RevocationToQueue) {
  const id = randomUUID();
  await deps.store.pendingRevocations.insert({
    id,
    connectorId: revocation.client.connector.id,
    userId: revocation.userId,
    sealedToken: deps.vault.encrypt(revocation.token, pendingRevocationLocation(id)),
    sealedClient: deps.vault.encrypt(
      JSON.stringify(revocation.client),
      revocationClientLocation(id),
    ),
    tokenTypeHint: revocation.tokenTypeHint,
    attempts: revocation.attempts,
    nextAttemptAt: revocation.nextAttemptAt,
    createdAt: deps.now(),
  });
}

/**
 * The client that revokes a queued token. Rows queued before each kept its own copy fall
 * back to their connector; undefined when that connector is gone.
 */
export async function clientOfPendingRevocation(
  deps: CoreDeps,
  pending: PendingRevocation,
): Promise<RevocationClient | undefined> {
  if (pending.sealedClient) {
    const sealed = deps.vault.decrypt(pending.sealedClient, revocationClientLocation(pending.id));
    return parseRevocationClient(sealed);
  }
  const connector = await deps.store.connectors.findById(pending.connectorId);
  // Only a per-user connector has tokens, and a revocation endpoint to send them to.
  return connector?.authMode === 'per-user' ? revocationClientOf(deps.vault, connector) : undefined;
}

/**
 * The connection's tokens to revoke, the refresh token first: revoking it usually ends the
 * grant and its access tokens. The caller has checked that the connector revokes tokens.
 */
export function tokensToRevoke(
  vault: Vault,
  connector: StoredConnector,
  connection: StoredConnection,
): [TokenTypeHint, string][] {
  if (connector.authMode !== 'per-user' || connection.status !== 'connected') return [];
  const credentials = openCredentials(vault, connection.id, connection.sealedCredentials);
  const tokens: [TokenTypeHint, string | undefined][] = [
    ['refresh_token', credentials.refreshToken],
    ['access_token', credentials.accessToken],
  ];
  return tokens.filter((entry): entry is [TokenTypeHint, string] => Boolean(entry[1]));
}

/**
 * Whether the connector has a revocation endpoint, typed or in its issuer's cached metadata.
 * Called inside transactions, so it never fetches: metadata not cached counts as yes, and
 * the retry job, outside any transaction, finds out.
 */
function hasRevocationEndpoint(deps: CoreDeps, connector: StoredPerUserConnector): boolean {
  const { config } = connector;
  if (quirkRevocationOf(config)) return true;
  if (!config.discovery || !config.issuer) return Boolean(config.revocationUrl);
  const metadata = deps.metadataCache.peek(config.issuer, deps.now());
  return metadata === undefined || Boolean(metadata.revocation_endpoint);
}

/** Why tokens were queued without a disconnect, as audited with `oauth_revocation_queued`. */
type RevocationQueuedReason =
  | 'end_user_deleted'
  | 'connector_deleted'
  | 'connector_changed'
  | 'unused'
  | 'user_deleted'
  | 'refresh_superseded';

/**
 * Queues every token of connections just deleted from `connector` (or, after a superseded
 * refresh, never stored), due at once, for the retry job to revoke (RFC 7009), and audits
 * each connection queued, naming `actorUserId`
 * (the user who deleted or changed what dropped them; none for a job or the CLI). Nothing is
 * sent from here, so that a purge or a connector deletion stays fast and never waits on a
 * provider. Returns how many tokens were queued.
 */
export async function queueConnectionsRevocation(
  deps: CoreDeps,
  connector: StoredConnector,
  connections: StoredConnection[],
  reason: RevocationQueuedReason,
  actorUserId?: string,
): Promise<number> {
  // Only a per-user connector has users' tokens.
  if (
    connections.length === 0 ||
    connector.authMode !== 'per-user' ||
    !hasRevocationEndpoint(deps, connector)
  ) {
    return 0;
  }
  const client = revocationClientOf(deps.vault, connector);
  let queued = 0;
  for (const connection of connections) {
    const tokens = tokensToRevoke(deps.vault, connector, connection);
    for (const [tokenTypeHint, token] of tokens) {
      await queueRevocation(deps, {
        client,
        userId: connection.userId,
        token,
        tokenTypeHint,
        attempts: 0,
        nextAttemptAt: deps.now(),
      });
    }
    if (tokens.length > 0) await auditRevocationQueued(deps, connection, reason, actorUserId);
    queued += tokens.length;
  }
  return queued;
}

/**
 * Like `queueConnectionsRevocation`, for connections just deleted from any connectors (a
 * purge, a user's deletion): each group is queued with its own connector's client.
 */
export async function queueConnectionsRevocationPerConnector(
  deps: CoreDeps,
  connections: StoredConnection[],
  reason: RevocationQueuedReason,
  actorUserId?: string,
): Promise<number> {
  let queued = 0;
  for (const [connectorId, group] of groupByConnector(connections)) {
    // Connections are deleted with their connector: a caller that took them inside its
    // transaction finds the connector in that transaction.
    const connector = await deps.store.connectors.findById(connectorId);
    if (connector) {
      queued += await queueConnectionsRevocation(deps, connector, group, reason, actorUserId);
    }
  }
  return queued;
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

/**
 * One event per connection, written with the queue rows: it names the user as subject, who
 * did it as actor when someone did, and never a token.
 */
async function auditRevocationQueued(
  deps: CoreDeps,
  connection: StoredConnection,
  reason: RevocationQueuedReason,
  actorUserId: string | undefined,
) {
  await recordAudit(deps.store, deps.now(), {
    action: 'oauth_revocation_queued',
    reason,
    actorUserId,
    subjectUserId: connection.userId,
    connectorId: connection.connectorId,
  });
}
