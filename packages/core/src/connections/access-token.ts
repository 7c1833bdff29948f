import type { StoredConnection } from '../store';
import type { Vault } from '../vault/vault';
import { openCredentials } from './connection-credentials';

/** An access token ready to use, and the connection row and version it came from. */
export interface AccessToken {
  accessToken: string;
  tokenType: string;
  /** Epoch ms; null when the provider did not say (valid until the API answers 401). */
  expiresAt: number | null;
  connectionId: string;
  connectionVersion: number;
}

/** Fresh unless it expires within the margin (so it never expires on its way to the API). */
export function isFresh(connection: StoredConnection, now: number, marginMs: number): boolean {
  return connection.expiresAt === null || connection.expiresAt - marginMs > now;
}

export function toAccessToken(vault: Vault, connection: StoredConnection): AccessToken {
  const credentials = openCredentials(vault, connection.id, connection.sealedCredentials as string);
  return {
    accessToken: credentials.accessToken,
    tokenType: credentials.tokenType,
    expiresAt: connection.expiresAt,
    connectionId: connection.id,
    connectionVersion: connection.version,
  };
}

/**
 * Whether `token` came from this very state of the connection. A row made by a reconnect
 * after a disconnect starts at version 1 again, so the version alone does not say.
 */
export function isIssuedFrom(connection: StoredConnection, token: AccessToken): boolean {
  return connection.id === token.connectionId && connection.version === token.connectionVersion;
}
