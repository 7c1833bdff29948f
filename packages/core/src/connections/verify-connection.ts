import { findPerUserConnector } from '../connectors/find-per-user-connector';
import type { CoreDeps } from '../deps';
import type { ErrorCode } from '../errors/error-codes';
import { LatchkeyError } from '../errors/latchkey-error';
import { failureOutcome } from '../metrics/core-metrics';
import { recordAudit } from '../oauth/audit';
import type { StoredPerUserConnector } from '../store';
import type { AccessToken } from './access-token';
import type { AccessTokens } from './access-tokens';
import { type IdentityAnswer, identityEndpointOf, requestIdentity } from './account-identity';
import { openCredentials } from './connection-credentials';
import { type ConnectionView, toConnectionView } from './connection-view';
import { markReauthRequired } from './mark-reauth-required';

/**
 * Checks the user's connection at its provider now (`POST /api/connectors/:id/_verify`): a
 * GET of its identity endpoint with the user's token, refreshed first when stale, and once
 * more when that endpoint refuses it; without an endpoint, a refresh is the check. A grant
 * found gone turns the connection `reauth_required`; a new account name is kept. Answers the
 * connection as the check left it.
 */
export async function verifyConnection(
  deps: CoreDeps,
  accessTokens: AccessTokens,
  connectorId: string,
  userId: string,
): Promise<ConnectionView> {
  const connector = await findPerUserConnector(deps, connectorId);
  try {
    await checkAtProvider(deps, accessTokens, connector, userId);
    await auditVerification(deps, connector.id, userId, undefined);
  } catch (error) {
    const outcome = failureOutcome(error);
    if (outcome === 'not_connected') throw error;
    await auditVerification(deps, connector.id, userId, outcome);
    if (outcome !== 'reauth_required') throw error;
  }
  const connection = await deps.store.connections.find(connector.id, userId);
  if (!connection) throw new LatchkeyError('not_connected');
  return toConnectionView(connector, connection);
}

async function checkAtProvider(
  deps: CoreDeps,
  accessTokens: AccessTokens,
  connector: StoredPerUserConnector,
  userId: string,
): Promise<void> {
  // An on-demand check asks the provider now, even while a failed refresh cools down.
  const now = { ignoreCoolDown: true };
  const token = await accessTokens.get(connector.id, userId, undefined, now);
  const endpoint = await identityEndpointOf(deps, connector);
  if (!endpoint) {
    // Forcing a refresh without a refresh token would end a grant that may well work.
    if (await hasRefreshToken(deps, connector.id, userId)) {
      await accessTokens.get(connector.id, userId, token, now);
    }
    return;
  }
  let answer = await requestIdentity(deps, connector, endpoint, token.accessToken);
  let used = token;
  if (answer.status === 'unauthorized') {
    // The token may have died early: a refresh tells a dead token from a dead grant.
    used = await accessTokens.get(connector.id, userId, token, now);
    answer = await requestIdentity(deps, connector, endpoint, used.accessToken);
  }
  await settleAnswer(deps, connector, userId, used, answer);
}

/**
 * What the endpoint's answer means for the connection, unless it changed meanwhile: a token
 * just refreshed and still refused is a grant that no longer opens the API.
 */
async function settleAnswer(
  deps: CoreDeps,
  connector: StoredPerUserConnector,
  userId: string,
  used: AccessToken,
  answer: IdentityAnswer,
): Promise<void> {
  const connection = await deps.store.connections.find(connector.id, userId);
  if (connection?.status !== 'connected' || connection.id !== used.connectionId) return;
  switch (answer.status) {
    case 'failed':
      throw new LatchkeyError('provider_unavailable');
    case 'unauthorized':
      await markReauthRequired(deps, connection, 'verification_refused');
      throw new LatchkeyError('reauth_required');
    case 'ok':
      if (answer.identity === null || answer.identity === connection.account) return;
      // Same version: the tokens did not change, and a token handed out before must still be
      // recognised when an API refuses it (a forced refresh compares versions).
      await deps.store.connections.replaceIfVersion(
        { ...connection, account: answer.identity },
        connection.version,
      );
  }
}

async function hasRefreshToken(
  deps: CoreDeps,
  connectorId: string,
  userId: string,
): Promise<boolean> {
  const connection = await deps.store.connections.find(connectorId, userId);
  if (connection?.status !== 'connected') return false;
  return Boolean(
    openCredentials(deps.vault, connection.id, connection.sealedCredentials).refreshToken,
  );
}

async function auditVerification(
  deps: CoreDeps,
  connectorId: string,
  userId: string,
  failure: ErrorCode | undefined,
): Promise<void> {
  deps.metrics.connectionVerified(failure ?? 'verified');
  await recordAudit(deps.store, deps.now(), {
    action: 'connection_verified',
    outcome: failure === undefined ? 'success' : 'failure',
    ...(failure ? { reason: failure } : {}),
    actorUserId: userId,
    connectorId,
  });
}
