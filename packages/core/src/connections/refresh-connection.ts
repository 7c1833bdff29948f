import * as oauth from 'oauth4webapi';
import type { CoreDeps } from '../deps';
import type { ErrorCode } from '../errors/error-codes';
import { LatchkeyError } from '../errors/latchkey-error';
import { authorizationServerFor } from '../oauth/discovery/authorization-server-for';
import { type ProviderClient, providerClientOf } from '../oauth/oauth-client';
import { assertProviderAvailable, toProviderError } from '../oauth/provider-errors';
import { queueConnectionsRevocation } from '../oauth/revocation-queue';
import { withoutUnverifiableIdToken } from '../oauth/unverifiable-id-token';
import type { ConnectedConnection, StoredConnection, StoredPerUserConnector } from '../store';
import { type AccessToken, isFresh, isIssuedFrom, toAccessToken } from './access-token';
import { openCredentials } from './connection-credentials';
import { connectionFromTokens } from './connection-from-tokens';
import { keptMetadata } from './kept-metadata';
import { markReauthRequired } from './mark-reauth-required';
import { assertNotCoolingDown, coolingDownError, type RefreshOptions } from './refresh-cool-down';
import { recordRefreshFailed, swapInRenewed } from './refresh-health';

/** The token a refresh leaves the caller, and how it got it. */
export interface RefreshResult {
  outcome: 'refreshed' | 'refreshed_elsewhere' | 'superseded';
  token: AccessToken;
}

/** The state of a connection a refresh renews regardless of its token's freshness. */
export type RenewedState = Pick<AccessToken, 'connectionId' | 'connectionVersion'>;

/**
 * Refreshes one connection, called with its lock held. Re-reads first: another caller (or
 * instance) may have refreshed while we waited, and then its token is ours too. Within the
 * cool-down of a failure (recorded here or by another instance) the provider is not asked.
 * `rejected` is set when that state must be renewed even if fresh: the API refused its token
 * (forced refresh), or the keep-alive job renews it.
 */
export async function refreshConnection(
  deps: CoreDeps,
  connector: StoredPerUserConnector,
  userId: string,
  rejected: RenewedState | undefined,
  options: RefreshOptions = {},
): Promise<RefreshResult> {
  const current = await readUsableConnection(deps, connector.id, userId);
  const refreshedMeanwhile =
    rejected === undefined
      ? isFresh(current, deps.now(), deps.oauth.refreshMarginMs)
      : !isIssuedFrom(current, rejected);
  if (refreshedMeanwhile) {
    return { outcome: 'refreshed_elsewhere', token: toAccessToken(deps.vault, current) };
  }
  assertNotCoolingDown(current, deps.now(), options);

  const credentials = openCredentials(deps.vault, current.id, current.sealedCredentials);
  if (!credentials.refreshToken) return reauth(deps, current, 'no_refresh_token');
  if (current.refreshExpiresAt !== null && current.refreshExpiresAt <= deps.now()) {
    return reauth(deps, current, 'refresh_token_expired');
  }
  const tokens = await requestRefreshOrCoolDown(deps, connector, current, credentials.refreshToken);
  if (!tokens) return reauth(deps, current, 'invalid_grant');
  const now = deps.now();
  const { keep } = connector.config;
  const metadata = keptMetadata(keep, { tokens }, current.metadata, deps.endpointPolicy);
  const basis = { ...current, metadata, version: current.version + 1 };
  const next = connectionFromTokens(deps.vault, now, basis, tokens, {
    refreshToken: credentials.refreshToken,
    refreshExpiresAt: current.refreshExpiresAt,
  });
  // The rotated refresh token is stored before the new access token is handed out.
  if (await swapInRenewed(deps, current, next)) {
    return { outcome: 'refreshed', token: toAccessToken(deps.vault, next) };
  }
  const issued = connectionFromTokens(deps.vault, now, basis, tokens);
  return settleSupersededRefresh(deps, connector, userId, issued);
}

/**
 * The connection changed while the provider answered: the user reconnected or disconnected,
 * or it was marked `reauth_required`. Its row is no longer ours to overwrite, and the caller
 * gets whatever the connection is now.
 *
 * Nothing else holds the tokens the provider just issued (`issued` holds only those, not the
 * old refresh token a response without a new one would have kept). With no usable connection
 * left they are queued for revocation (RFC 7009). Next to a usable one they are left to
 * expire, as a reconnect leaves the tokens it replaces: providers such as Google revoke every
 * token the user granted the client when one of them is revoked, which would end the
 * connection just made too.
 */
async function settleSupersededRefresh(
  deps: CoreDeps,
  connector: StoredPerUserConnector,
  userId: string,
  issued: ConnectedConnection,
): Promise<RefreshResult> {
  const latest = await deps.store.transaction(async (store) => {
    const found = await store.connections.find(connector.id, userId);
    if (found?.status === 'connected') return found;
    await queueConnectionsRevocation({ ...deps, store }, connector, [issued], 'refresh_superseded');
    return found;
  });
  return { outcome: 'superseded', token: toAccessToken(deps.vault, usable(latest)) };
}

async function readUsableConnection(deps: CoreDeps, connectorId: string, userId: string) {
  return usable(await deps.store.connections.find(connectorId, userId));
}

function usable(connection: StoredConnection | undefined): ConnectedConnection {
  if (!connection) throw new LatchkeyError('not_connected');
  switch (connection.status) {
    case 'connected':
      return connection;
    case 'reauth_required':
      throw new LatchkeyError('reauth_required');
  }
}

/**
 * The grant is gone: the connection needs the user again. If it changed meanwhile (the user
 * reconnected or disconnected, or another instance marked it first), the caller gets it as
 * it is now instead.
 */
async function reauth(
  deps: CoreDeps,
  connection: ConnectedConnection,
  reason: string,
): Promise<RefreshResult> {
  if (await markReauthRequired(deps, connection, reason)) {
    throw new LatchkeyError('reauth_required');
  }
  const latest = await readUsableConnection(deps, connection.connectorId, connection.userId);
  return { outcome: 'superseded', token: toAccessToken(deps.vault, latest) };
}

/**
 * A transient failure starts or extends the connection's cool-down: the caller is told when
 * the next attempt may go out (`Retry-After`), and calls until then are answered from it.
 */
async function requestRefreshOrCoolDown(
  deps: CoreDeps,
  connector: StoredPerUserConnector,
  current: ConnectedConnection,
  refreshToken: string,
): Promise<oauth.TokenEndpointResponse | undefined> {
  try {
    return await requestRefresh(deps, connector, refreshToken);
  } catch (error) {
    if (!(error instanceof LatchkeyError) || error.code !== 'provider_unavailable') throw error;
    const failure = await recordRefreshFailed(deps, current, error.code);
    throw failure ? coolingDownError(failure, deps.now()) : error;
  }
}

/** Failures passed on as they are: a setting to fix, or the egress policy's refusal. */
const KEPT_CODES = new Set<ErrorCode>(['oauth_client_authentication_failed', 'egress_denied']);

/**
 * RFC 6749 §6. `undefined` when the grant is gone (`invalid_grant`); a failed client
 * authentication is a setting to fix; anything else is an outage.
 */
async function requestRefresh(
  deps: CoreDeps,
  connector: StoredPerUserConnector,
  refreshToken: string,
): Promise<oauth.TokenEndpointResponse | undefined> {
  const as = await authorizationServerFor(deps, connector);
  const { client, auth, tokenOptions } = providerClientOf(deps, connector, as);
  try {
    const response = await oauth.refreshTokenGrantRequest(
      as,
      client,
      auth,
      refreshToken,
      withRefreshParams(tokenOptions, connector.config.refreshParams),
    );
    return await oauth.processRefreshTokenResponse(
      as,
      client,
      await withoutUnverifiableIdToken(connector, assertProviderAvailable(response)),
    );
  } catch (error) {
    const providerError = toProviderError(error);
    if (providerError.code === 'oauth_invalid_grant') return undefined;
    // A refused address is the endpoint's fault, not the grant's: the tokens stay.
    if (KEPT_CODES.has(providerError.code)) throw providerError;
    throw new LatchkeyError('provider_unavailable');
  }
}

/** The preset's refresh-only parameters (RFC 6749 §6), after those of every token request. */
function withRefreshParams(
  options: ProviderClient['tokenOptions'],
  refreshParams: Record<string, string> | undefined,
): ProviderClient['tokenOptions'] {
  if (!refreshParams) return options;
  const additionalParameters = { ...options.additionalParameters, ...refreshParams };
  return { ...options, additionalParameters };
}
