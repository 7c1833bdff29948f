import { randomUUID } from 'node:crypto';
import type { TokenEndpointResponse } from 'oauth4webapi';
import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';
import { recordConnectionEvent } from '../events/connection-event';
import type { ConnectionMetadata, StoredConnection } from '../store';
import { connectionFromTokens } from './connection-from-tokens';
import { grantedScopesDiffer } from './granted-scopes';
import { recordScopesChanged } from './record-scopes-changed';

export interface SaveTokensOptions {
  /**
   * The connector's config version the tokens were obtained under. If an edit bumped it
   * meanwhile (it deleted every user's tokens), these must not come back after it.
   */
  configVersion?: number;
  /** The values the connector's preset keeps from this authorization (kept-metadata.ts). */
  metadata?: ConnectionMetadata | null;
  /** The scopes asked for: granted when the response names none (RFC 6749 §5.1). */
  requestedScope?: string | null;
  /** Who the user is at the provider, for display. */
  account?: string | null;
}

/**
 * Stores a token response for (connector, user), replacing any earlier tokens. Each save
 * seals the tokens to a new row id, which replaces the old row's with them in one statement:
 * of two saves at once (two tabs finishing their flows on two instances), the row holds one
 * save's id and that save's tokens, never one's id and the other's ciphertext. A refresh
 * still holding the old id then fails its compare-and-swap, as it should. The save is
 * `connection.created`, or `connection.reconnected` when it replaces a row, and also
 * `connection.scopes_changed` when that row was granted other scopes.
 */
export async function saveConnectionTokens(
  deps: CoreDeps,
  connectorId: string,
  userId: string,
  tokens: TokenEndpointResponse,
  options: SaveTokensOptions = {},
): Promise<void> {
  const now = deps.now();
  const scopesChanged = await deps.store.transaction(async (store) => {
    if (options.configVersion !== undefined) {
      // Re-read inside the transaction: the exchange took a round trip to the provider.
      const connector = await store.connectors.findById(connectorId);
      if (connector?.configVersion !== options.configVersion) {
        throw new LatchkeyError('oauth_connector_changed');
      }
    }
    const previous = await store.connections.find(connectorId, userId);
    const basis = {
      id: randomUUID(),
      connectorId,
      userId,
      scopes: options.requestedScope ?? null,
      account: options.account ?? null,
      metadata: options.metadata ?? null,
      version: 1,
      createdAt: now,
      lastUsedAt: now,
    };
    const saved = connectionFromTokens(deps.vault, now, basis, tokens);
    await store.connections.save(saved);
    await recordConnectionEvent(store, now, {
      type: previous ? 'connection.reconnected' : 'connection.created',
      connectorId,
      userId,
    });
    if (!scopesChangedByConnect(previous, saved)) return false;
    await recordScopesChanged({ ...deps, store }, saved, previous?.scopes ?? null);
    return true;
  });
  if (scopesChanged) deps.metrics.scopesChanged();
}

/** A reconnect whose grant differs from the connection it replaces; a first connect is not. */
function scopesChangedByConnect(
  previous: StoredConnection | undefined,
  saved: StoredConnection,
): boolean {
  return previous !== undefined && grantedScopesDiffer(previous.scopes, saved.scopes);
}
