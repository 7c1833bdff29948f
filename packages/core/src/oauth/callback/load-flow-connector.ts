import type { CoreDeps } from '../../deps';
import { LatchkeyError } from '../../errors/latchkey-error';
import type { StoredOAuthState, StoredPerUserConnector } from '../../store';

/**
 * The connector that started the flow, unchanged since: the code may only be exchanged at
 * the token endpoint the flow was bound to (invariant 3).
 */
export async function loadFlowConnector(
  deps: CoreDeps,
  flow: StoredOAuthState,
): Promise<StoredPerUserConnector> {
  const connector = await deps.store.connectors.findById(flow.connectorId);
  if (
    connector?.authMode !== 'per-user' ||
    connector.configVersion !== flow.configVersion ||
    connector.config.tokenUrl !== flow.tokenEndpoint
  ) {
    throw new LatchkeyError('oauth_connector_changed');
  }
  return connector;
}
