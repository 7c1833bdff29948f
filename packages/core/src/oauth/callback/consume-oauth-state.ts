import type { CoreDeps } from '../../deps';
import { LatchkeyError } from '../../errors/latchkey-error';
import type { StoredOAuthState } from '../../store';
import { sha256 } from '../hashes';
import { checkFlowOwner } from './check-flow-owner';

/** Single use: the flow row is deleted as it is read, so a replay finds nothing. */
export async function consumeOAuthState(
  deps: CoreDeps,
  state: string | null,
): Promise<StoredOAuthState> {
  if (!state) throw new LatchkeyError('oauth_state_invalid');
  const flow = await deps.store.oauthStates.consume(sha256(state));
  if (!flow) throw new LatchkeyError('oauth_state_invalid');
  return flow;
}

/**
 * The flow must be live and started by this user (or this connect session) in this browser
 * (invariant 2).
 */
export async function checkOAuthState(
  deps: CoreDeps,
  flow: StoredOAuthState,
  caller: { userId: string | undefined; browserBinding: string | undefined },
): Promise<void> {
  if (flow.expiresAt <= deps.now()) throw new LatchkeyError('oauth_state_expired');
  await checkFlowOwner(deps, flow, caller);
  if (!caller.browserBinding || sha256(caller.browserBinding) !== flow.browserHash) {
    throw new LatchkeyError('oauth_state_browser_mismatch');
  }
}
