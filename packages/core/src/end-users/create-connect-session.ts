import { findPerUserConnector } from '../connectors/find-per-user-connector';
import type { CoreDeps } from '../deps';
import { recordAudit } from '../oauth/audit';
import { randomToken, sha256 } from '../oauth/hashes';
import { checkReturnUrl } from '../oauth/return-url';
import { newEndUserId } from './end-user-id';
import type { CreateConnectSessionInput, CreatedConnectSession } from './end-user-schema';

/** The hosted connect page; the token rides in the fragment, which no server or Referer sees. */
export function connectUrlOf(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/connect#session=${encodeURIComponent(token)}`;
}

/**
 * Creates a connect session for an end user. From `POST /api/connect_sessions` the end user
 * is created (or their profile updated) at once; a link minted for a 409 (`createEndUser`
 * false) creates nobody until it is used. Only the token's hash is stored.
 */
export async function createConnectSession(
  deps: CoreDeps,
  input: CreateConnectSessionInput & { apiKeyId: string; createEndUser: boolean },
): Promise<CreatedConnectSession> {
  const connectorIds = input.connectorIds
    ? await checkConnectorIds(deps, input.connectorIds)
    : null;
  const returnUrl = input.returnUrl ? checkConnectReturnUrl(deps, input.returnUrl) : null;
  const now = deps.now();
  const endUser = input.createEndUser
    ? await deps.store.endUsers.ensure({ id: newEndUserId(), ...input.endUser, now })
    : undefined;
  const token = randomToken();
  const expiresAt = now + deps.oauth.connectSessionTtlMs;
  await deps.store.connectSessions.insert({
    tokenHash: sha256(token),
    externalId: input.endUser.externalId,
    displayName: input.endUser.displayName ?? null,
    email: input.endUser.email ?? null,
    connectorIds,
    returnUrl,
    apiKeyId: input.apiKeyId,
    createdAt: now,
    expiresAt,
  });
  await recordAudit(deps.store, now, {
    action: 'connect_session_created',
    apiKeyId: input.apiKeyId,
    ...(endUser ? { subjectUserId: endUser.id } : {}),
    details: { connectors: connectorIds?.length ?? 'all', endUserCreated: input.createEndUser },
  });
  return {
    token,
    url: connectUrlOf(deps.oauth.publicBaseUrl, token),
    expiresAt: new Date(expiresAt).toISOString(),
  };
}

/** Each must be a per-user connector; duplicates are dropped. */
async function checkConnectorIds(deps: CoreDeps, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  for (const id of unique) await findPerUserConnector(deps, id);
  return unique;
}

/** Only the configured origins: the app's pages, never an arbitrary site (an open redirect). */
function checkConnectReturnUrl(deps: CoreDeps, returnUrl: string): string {
  const { publicBaseUrl, connectReturnOrigins } = deps.oauth;
  return checkReturnUrl(returnUrl, publicBaseUrl, connectReturnOrigins);
}
