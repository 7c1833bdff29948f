import type * as oauth from 'oauth4webapi';
import type { CoreDeps } from '../deps';
import type { StoredPerUserConnector } from '../store';
import { identityEndpointOf, identityFromIdToken, requestIdentity } from './account-identity';

/**
 * Who the user connected as, for display: the validated ID token's claims, else the
 * connector's identity endpoint. Null when neither says, or the endpoint fails: a name to
 * show never stands in the way of a connection.
 */
export async function connectedAccountOf(
  deps: CoreDeps,
  connector: StoredPerUserConnector,
  tokens: oauth.TokenEndpointResponse,
): Promise<string | null> {
  const fromIdToken = identityFromIdToken(tokens);
  if (fromIdToken && !connector.config.verification) return fromIdToken;
  try {
    const endpoint = await identityEndpointOf(deps, connector);
    if (!endpoint) return fromIdToken;
    const answer = await requestIdentity(deps, connector, endpoint, tokens.access_token);
    return (answer.status === 'ok' ? answer.identity : null) ?? fromIdToken;
  } catch {
    return fromIdToken;
  }
}
