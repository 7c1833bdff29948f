import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';
import { sha256 } from '../oauth/hashes';
import type { EndUserRecord, StoredConnectSession } from '../store';
import { newEndUserId } from './end-user-id';

/**
 * The live session of that hash. An unknown or expired one, or one whose API key was revoked
 * since (the app's access is withdrawn, and so are the links it handed out), is
 * `connect_session_invalid`.
 */
export async function liveConnectSession(
  deps: CoreDeps,
  tokenHash: string,
): Promise<StoredConnectSession> {
  const session = await deps.store.connectSessions.find(tokenHash);
  if (!session || session.expiresAt <= deps.now() || !session.apiKeyLive) {
    throw new LatchkeyError('connect_session_invalid');
  }
  return session;
}

/** The live session a presented token names. */
export function findLiveConnectSession(
  deps: CoreDeps,
  token: string,
): Promise<StoredConnectSession> {
  return liveConnectSession(deps, sha256(token));
}

/** Whether the session may connect that connector (its own list, or every per-user one). */
export function sessionAllowsConnector(session: StoredConnectSession, connectorId: string) {
  return session.connectorIds === null || session.connectorIds.includes(connectorId);
}

/**
 * The end user the session acts for, created on first use (a link minted for a 409). An
 * existing one is read, not written: an older session's profile never overwrites a newer one.
 */
export async function ensureSessionEndUser(
  deps: CoreDeps,
  session: StoredConnectSession,
): Promise<EndUserRecord> {
  const existing = await deps.store.endUsers.findByExternalId(session.externalId);
  if (existing) return existing;
  return deps.store.endUsers.ensure({
    id: newEndUserId(),
    externalId: session.externalId,
    ...(session.displayName !== null ? { displayName: session.displayName } : {}),
    ...(session.email !== null ? { email: session.email } : {}),
    now: deps.now(),
  });
}
