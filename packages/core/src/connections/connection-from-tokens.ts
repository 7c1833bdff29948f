import type { TokenEndpointResponse } from 'oauth4webapi';
import { secondsFromNow } from '../oauth/token-expiry';
import type { ConnectedConnection } from '../store';
import type { Vault } from '../vault/vault';
import { sealCredentials } from './connection-credentials';

/**
 * The columns a token response does not decide: who the row is, and its bookkeeping. Its
 * `scopes` stand when the response names none: those asked for, or those already granted.
 */
type ConnectionRowBasis = Pick<
  ConnectedConnection,
  | 'id'
  | 'connectorId'
  | 'userId'
  | 'scopes'
  | 'account'
  | 'metadata'
  | 'version'
  | 'createdAt'
  | 'lastUsedAt'
>;

/**
 * What a refresh response (RFC 6749 §6) may leave out, taken from the connection it renews.
 * A new authorization renews nothing: its response stands alone.
 */
interface RenewedGrant {
  refreshToken: string;
  refreshExpiresAt: number | null;
}

/**
 * The connected row holding a token endpoint response (RFC 6749 §5.1), its tokens sealed to
 * the row's id. The caller saves it (after a code exchange) or swaps it in (after a refresh).
 */
export function connectionFromTokens(
  vault: Vault,
  now: number,
  basis: ConnectionRowBasis,
  tokens: TokenEndpointResponse,
  renewed?: RenewedGrant,
): ConnectedConnection {
  // RFC 6749 §6: a refresh response without a new refresh token leaves the old one valid.
  const refreshToken = tokens.refresh_token ?? renewed?.refreshToken;
  return {
    id: basis.id,
    connectorId: basis.connectorId,
    userId: basis.userId,
    status: 'connected',
    // RFC 6749 §5.1: a response without `scope` granted the scopes asked for (or kept).
    scopes: tokens.scope ?? basis.scopes,
    account: basis.account,
    metadata: basis.metadata,
    sealedCredentials: sealCredentials(vault, basis.id, {
      accessToken: tokens.access_token,
      tokenType: tokens.token_type,
      ...(refreshToken ? { refreshToken } : {}),
    }),
    expiresAt: secondsFromNow(now, tokens.expires_in),
    // A new refresh token without a lifetime has none; no new one keeps the old one's.
    refreshExpiresAt:
      secondsFromNow(now, tokens.refresh_token_expires_in) ??
      (tokens.refresh_token ? null : (renewed?.refreshExpiresAt ?? null)),
    version: basis.version,
    createdAt: basis.createdAt,
    updatedAt: now,
    lastUsedAt: basis.lastUsedAt,
    // New tokens end any cool-down: a refresh that got them succeeded.
    refreshFailure: null,
    lastRefreshedAt: renewed ? now : null,
  };
}
