import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';
import type { StoredOAuthState } from '../store';
import { recordAudit } from './audit';
import { sha256 } from './hashes';

/**
 * Cancels the caller's pending flow. Idempotent: an unknown, finished or expired state is
 * already cancelled. Another user's flow, or a flow of another connector than the one named,
 * is refused and left alone.
 */
export async function cancelAuthorizationFlow(
  deps: CoreDeps,
  input: { connectorId: string; userId: string; state: string },
): Promise<void> {
  const stateHash = sha256(input.state);
  const flow = await deps.store.oauthStates.find(stateHash);
  if (!flow) return;
  checkFlowOwnership(flow, input);
  if (!(await deps.store.oauthStates.consume(stateHash))) return;
  deps.metrics.flowFinished('cancelled');
  await recordAudit(deps.store, deps.now(), {
    action: 'oauth_cancelled',
    actorUserId: input.userId,
    connectorId: input.connectorId,
  });
}

/** The user comes first: another user's flow is refused without a word about its connector. */
function checkFlowOwnership(
  flow: StoredOAuthState,
  caller: { connectorId: string; userId: string },
): void {
  if (flow.userId !== caller.userId) throw new LatchkeyError('oauth_flow_forbidden');
  if (flow.connectorId !== caller.connectorId) {
    throw new LatchkeyError('oauth_flow_connector_mismatch');
  }
}
