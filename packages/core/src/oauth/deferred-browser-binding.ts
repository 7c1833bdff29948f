import type { CoreDeps } from '../deps';
import { liveConnectSession } from '../end-users/live-connect-session';
import { LatchkeyError } from '../errors/latchkey-error';
import { sha256 } from './hashes';

/**
 * A flow started by a cross-site fetch cannot set the browser-binding cookie (browsers drop a
 * Lax cookie from such a response). It is bound instead to a one-time begin token, which the
 * browser later presents in a first-party navigation; only then is the flow moved to that
 * browser's binding. The token is the provider's authorization URL sealed for this flow: it
 * cannot be forged, and the store keeps only its hash (as the flow's browser hash).
 */
export function sealBeginToken(deps: CoreDeps, authorizationUrl: string, stateHash: string) {
  return deps.vault.encrypt(authorizationUrl, beginTokenLocation(stateHash));
}

/**
 * Binds a waiting flow to this browser, once, while it is live, and answers the provider's
 * authorization URL. A wrong, used or expired begin token moves nothing; nor does the
 * flow of a connect session that has ended since (see `refuseEndedSession`).
 */
export async function bindDeferredFlow(
  deps: CoreDeps,
  input: { state: string; begin: string; browserBinding: string },
): Promise<string> {
  const stateHash = sha256(input.state);
  const beginHash = sha256(input.begin);
  await refuseEndedSession(deps, stateHash, beginHash);
  const moved = await deps.store.oauthStates.rebindBrowser(
    stateHash,
    beginHash,
    sha256(input.browserBinding),
    deps.now(),
  );
  if (!moved) throw new LatchkeyError('oauth_state_invalid');
  return deps.vault.decrypt(input.begin, beginTokenLocation(stateHash));
}

/**
 * A connect session's flow goes to the provider only while the session lives: once its API
 * key is revoked or it expired, its callback would be refused, so the provider is not asked
 * to authorize it either (`connect_session_invalid`). Only the holder of a live flow's begin
 * token learns it; a wrong token or an expired flow is `oauth_state_invalid`, as before.
 */
async function refuseEndedSession(deps: CoreDeps, stateHash: string, beginHash: string) {
  const flow = await deps.store.oauthStates.find(stateHash);
  if (flow?.browserHash !== beginHash || flow.expiresAt <= deps.now()) return;
  if (flow.connectSessionHash === null) return;
  await liveConnectSession(deps, flow.connectSessionHash);
}

function beginTokenLocation(stateHash: string) {
  return { table: 'oauth_states', column: 'begin_token', rowId: stateHash };
}
