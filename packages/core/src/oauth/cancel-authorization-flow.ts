import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';
import { recordAudit } from './audit';
import { sha256 } from './hashes';

/**
 * Cancels the caller's pending flow. Idempotent: an unknown, finished or expired state is
 * already cancelled. Another user's flow is refused and left alone.
 */
export async function cancelAuthorizationFlow(
  deps: CoreDeps,
  input: { connectorId: string; userId: string; state: string },
): Promise<void> {
  const stateHash = sha256(input.state);
  const flow = await deps.store.oauthStates.find(stateHash);
  if (!flow || flow.connectorId !== input.connectorId) return;
  if (flow.userId !== input.userId) throw new LatchkeyError('oauth_flow_forbidden');
  if (!(await deps.store.oauthStates.consume(stateHash))) return;
  await recordAudit(deps.store, deps.now(), {
    action: 'oauth_cancelled',
    actorUserId: input.userId,
    connectorId: input.connectorId,
  });
}
