import { randomUUID } from 'node:crypto';
import type { TokenEndpointResponse } from 'oauth4webapi';
import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';
import { recordConnectionEvent } from '../events/connection-event';
import type { ConnectionMetadata } from '../store';
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
 * Stores a token response for (connector, user), replacing any earlier tokens. Each save
 * seals the tokens to a new row id, which replaces the old row's with them in one statement:
 * of two saves at once (two tabs finishing their flows on two instances), the row holds one
 * save's id and that save's tokens, never one's id and the other's ciphertext. A refresh
 * still holding the old id then fails its compare-and-swap, as it should. The save is
 * `connection.created`, or `connection.reconnected` when it replaces a row.
 */
export async function saveConnectionTokens(
  deps: CoreDeps,
  connectorId: string,
  userId: string,
  tokens: TokenEndpointResponse,
  options: SaveTokensOptions = {},
): Promise<void> {
  const now = deps.now();
  await deps.store.transaction(async (store) => {
    if (options.configVersion !== undefined) {
      // Re-read inside the transaction: the exchange took a round trip to the provider.
      const connector = await store.connectors.findById(connectorId);
      if (connector?.configVersion !== options.configVersion) {
        throw new LatchkeyError('oauth_connector_changed');
      }
    }
    const basis = {
      id: randomUUID(),
      connectorId,
      userId,
      metadata: options.metadata ?? null,
      version: 1,
      createdAt: now,
      lastUsedAt: now,
    };
    const replaced = await store.connections.find(connectorId, userId);
    await store.connections.save(connectionFromTokens(deps.vault, now, basis, tokens));
    await recordConnectionEvent(store, now, {
      type: replaced ? 'connection.reconnected' : 'connection.created',
      connectorId,
      userId,
    });
  });
}
