import type { ConnectedConnection, ConnectionMetadata, StoredConnection } from '../store';
import type { Vault } from '../vault/vault';
import { openCredentials } from './connection-credentials';
import { isTokenFresh } from './refresh-margin';

/** An access token ready to use, and the connection row and version it came from. */
export interface AccessToken {
  accessToken: string;
  tokenType: string;
  /** Epoch ms; null when the provider did not say (valid until the API answers 401). */
  expiresAt: number | null;
  connectionId: string;
  connectionVersion: number;
  /** The connection's kept values: where its API is, when that differs per connection. */
  metadata: ConnectionMetadata | null;
}

/**
 * Fresh unless it expires within the refresh margin (so it never expires on its way to the
 * API). A connected row's `updatedAt` is when its tokens were obtained: the lifetime that
 * caps the margin at half.
 */
export function isFresh(connection: ConnectedConnection, now: number, marginMs: number): boolean {
  return isTokenFresh(
    { obtainedAt: connection.updatedAt, expiresAt: connection.expiresAt },
    now,
    marginMs,
  );
}

export function toAccessToken(vault: Vault, connection: ConnectedConnection): AccessToken {
  const credentials = openCredentials(vault, connection.id, connection.sealedCredentials);
  return {
    accessToken: credentials.accessToken,
    tokenType: credentials.tokenType,
    expiresAt: connection.expiresAt,
    connectionId: connection.id,
    connectionVersion: connection.version,
    metadata: connection.metadata,
  };
}

/**
 * Whether `token` came from this very state of the connection. A row made by a reconnect
 * after a disconnect starts at version 1 again, so the version alone does not say.
 */
export function isIssuedFrom(
  connection: StoredConnection,
  token: Pick<AccessToken, 'connectionId' | 'connectionVersion'>,
): boolean {
  return connection.id === token.connectionId && connection.version === token.connectionVersion;
}
