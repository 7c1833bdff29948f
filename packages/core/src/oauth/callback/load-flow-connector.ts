import type * as oauth from 'oauth4webapi';
import type { CoreDeps } from '../../deps';
import { LatchkeyError } from '../../errors/latchkey-error';
import type { StoredOAuthState, StoredPerUserConnector } from '../../store';
import { authorizationServerFor } from '../discovery/authorization-server-for';

/** The connector that started a flow, with its authorization server as it stands now. */
export interface FlowConnector {
  connector: StoredPerUserConnector;
  as: oauth.AuthorizationServer;
}

/**
 * The connector that started the flow, unchanged since: the code may only be exchanged at
 * the token endpoint the flow was bound to (invariant 3), also when the issuer's metadata
 * named another one meanwhile.
 */
export async function loadFlowConnector(
  deps: CoreDeps,
  flow: StoredOAuthState,
): Promise<FlowConnector> {
  const connector = await deps.store.connectors.findById(flow.connectorId);
  if (connector?.authMode !== 'per-user' || connector.configVersion !== flow.configVersion) {
    throw new LatchkeyError('oauth_connector_changed');
  }
  const as = await authorizationServerFor(deps, connector);
  if (as.token_endpoint !== flow.tokenEndpoint) throw new LatchkeyError('oauth_connector_changed');
  return { connector, as };
}
