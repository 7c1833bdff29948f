import { randomUUID } from 'node:crypto';
import type { TokenEndpointResponse } from 'oauth4webapi';
import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';
import type { StoredConnection } from '../store';
import { sealCredentials } from './connection-credentials';

export interface SaveTokensOptions {
  /**
   * The connector's config version the tokens were obtained under. If an edit bumped it
   * meanwhile (it deleted every user's tokens), these must not come back after it.
   */
  configVersion?: number;
}

/**
 * Stores a token response for (connector, user), replacing any earlier tokens. The row keeps
 * its id across replacements because the ciphertext's AAD names it.
 */
export async function saveConnectionTokens(
  deps: CoreDeps,
  connectorId: string,
  userId: string,
  tokens: TokenEndpointResponse,
  options: SaveTokensOptions = {},
): Promise<StoredConnection> {
  const now = deps.now();
  return deps.store.transaction(async (store) => {
    if (options.configVersion !== undefined) {
      // Re-read inside the transaction: the exchange took a round trip to the provider.
      const connector = await store.connectors.findById(connectorId);
      if (connector?.configVersion !== options.configVersion) {
        throw new LatchkeyError('oauth_connector_changed');
      }
    }
    const existing = await store.connections.find(connectorId, userId);
    const id = existing?.id ?? randomUUID();
    const connection: StoredConnection = {
      id,
      connectorId,
      userId,
      status: 'connected',
      scopes: tokens.scope ?? null,
      sealedCredentials: sealCredentials(deps.vault, id, {
        accessToken: tokens.access_token,
        tokenType: tokens.token_type,
        ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
      }),
      expiresAt: secondsFromNow(now, tokens.expires_in),
      refreshExpiresAt: secondsFromNow(now, tokens.refresh_token_expires_in),
      version: (existing?.version ?? 0) + 1,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      lastUsedAt: now,
    };
    await store.connections.save(connection);
    return connection;
  });
}

/** An expiry `seconds` from now; none for a missing, zero, negative or non-finite value. */
export function secondsFromNow(now: number, seconds: unknown): number | null {
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
    ? now + seconds * 1000
    : null;
}
