import { randomUUID } from 'node:crypto';
import { openCredentials } from '../connections/connection-credentials';
import type { PerUserConfig } from '../connectors/connector-schema';
import type { CoreDeps } from '../deps';
import type { PendingRevocation, StoredConnection, StoredConnector, TokenTypeHint } from '../store';
import type { Vault } from '../vault/vault';
import { type RevocationClient, revocationClientOf } from './revoke-token';

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
    return JSON.parse(sealed) as RevocationClient;
  }
  const connector = await deps.store.connectors.findById(pending.connectorId);
  return connector && revocationClientOf(deps.vault, connector);
}

/**
 * The connection's tokens to revoke, the refresh token first: revoking it usually ends the
 * grant and its access tokens. None when the connector has no revocation endpoint.
 */
export function tokensToRevoke(
  vault: Vault,
  connector: StoredConnector,
  connection: StoredConnection,
): [TokenTypeHint, string][] {
  if (!hasRevocationEndpoint(connector) || !connection.sealedCredentials) return [];
  const credentials = openCredentials(vault, connection.id, connection.sealedCredentials);
  const tokens: [TokenTypeHint, string | undefined][] = [
    ['refresh_token', credentials.refreshToken],
    ['access_token', credentials.accessToken],
  ];
  return tokens.filter((entry): entry is [TokenTypeHint, string] => Boolean(entry[1]));
}

function hasRevocationEndpoint(connector: StoredConnector): boolean {
  return Boolean((connector.config as PerUserConfig).revocationUrl);
}

/**
 * Queues every token of connections just deleted from `connector`, due at once, for the
 * retry job to revoke (RFC 7009). Nothing is sent from here, so that a purge or a connector
 * deletion stays fast and never waits on a provider. Returns how many tokens were queued.
 */
export async function queueConnectionsRevocation(
  deps: CoreDeps,
  connector: StoredConnector,
  connections: StoredConnection[],
): Promise<number> {
  if (connections.length === 0 || !hasRevocationEndpoint(connector)) return 0;
  const client = revocationClientOf(deps.vault, connector);
  let queued = 0;
  for (const connection of connections) {
    for (const [tokenTypeHint, token] of tokensToRevoke(deps.vault, connector, connection)) {
      await queueRevocation(deps, {
        client,
        userId: connection.userId,
        token,
        tokenTypeHint,
        attempts: 0,
        nextAttemptAt: deps.now(),
      });
      queued += 1;
    }
  }
  return queued;
}
