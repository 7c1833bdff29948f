import type { CoreDeps } from '../deps';
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
 * authorization URL. A wrong, used or expired begin token moves nothing.
 */
export async function bindDeferredFlow(
  deps: CoreDeps,
  input: { state: string; begin: string; browserBinding: string },
): Promise<string> {
  const stateHash = sha256(input.state);
  const moved = await deps.store.oauthStates.rebindBrowser(
    stateHash,
    sha256(input.begin),
    sha256(input.browserBinding),
    deps.now(),
  );
  if (!moved) throw new LatchkeyError('oauth_state_invalid');
  return deps.vault.decrypt(input.begin, beginTokenLocation(stateHash));
}

function beginTokenLocation(stateHash: string) {
  return { table: 'oauth_states', column: 'begin_token', rowId: stateHash };
}
