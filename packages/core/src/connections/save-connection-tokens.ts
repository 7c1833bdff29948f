import { randomUUID } from 'node:crypto';
import type { TokenEndpointResponse } from 'oauth4webapi';
import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';
import type { ConnectionMetadata, StoredConnection } from '../store';
import { connectionFromTokens } from './connection-from-tokens';

export interface SaveTokensOptions {
  /**
   * The connector's config version the tokens were obtained under. If an edit bumped it
   * meanwhile (it deleted every user's tokens), these must not come back after it.
   */
  configVersion?: number;
  /** The values the connector's preset keeps from this authorization (kept-metadata.ts). */
  metadata?: ConnectionMetadata | null;
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
    const connection = connectionFromTokens(
      deps.vault,
      now,
      {
        id: existing?.id ?? randomUUID(),
        connectorId,
        userId,
        metadata: options.metadata ?? null,
        version: (existing?.version ?? 0) + 1,
        createdAt: existing?.createdAt ?? now,
        lastUsedAt: now,
      },
      tokens,
    );
    await store.connections.save(connection);
    return connection;
  });
}
