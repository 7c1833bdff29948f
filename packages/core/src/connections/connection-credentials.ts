import type { Vault } from '../vault/vault';

/** The tokens of one connection, as they exist only in memory. */
export interface ConnectionCredentials {
  accessToken: string;
  tokenType: string;
  refreshToken?: string;
}

function credentialsLocation(connectionId: string) {
  return { table: 'connections', column: 'credentials', rowId: connectionId };
}

export function sealCredentials(
  vault: Vault,
  connectionId: string,
  credentials: ConnectionCredentials,
): string {
  return vault.encrypt(JSON.stringify(credentials), credentialsLocation(connectionId));
}

export function openCredentials(
  vault: Vault,
  connectionId: string,
  sealed: string,
): ConnectionCredentials {
  return JSON.parse(vault.decrypt(sealed, credentialsLocation(connectionId)));
}
