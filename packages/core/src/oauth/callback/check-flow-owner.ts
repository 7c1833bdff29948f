import type { CoreDeps } from '../../deps';
import { liveConnectSession } from '../../end-users/live-connect-session';
import { LatchkeyError } from '../../errors/latchkey-error';
import type { StoredOAuthState } from '../../store';

/**
 * A user's flow is theirs when their session delivers it. An end user has no session in the
 * browser: their flow is theirs while the connect session that started it is live and still
 * names them (a deleted end user, or a session ended with them, finishes nothing).
 */
export async function checkFlowOwner(
  deps: CoreDeps,
  flow: StoredOAuthState,
  caller: { userId: string | undefined },
): Promise<void> {
  if (flow.connectSessionHash === null) {
    if (caller.userId !== flow.userId) throw new LatchkeyError('oauth_state_user_mismatch');
    return;
  }
  const session = await liveConnectSession(deps, flow.connectSessionHash);
  const endUser = await deps.store.endUsers.findByExternalId(session.externalId);
  if (endUser?.id !== flow.userId) throw new LatchkeyError('oauth_state_user_mismatch');
}
