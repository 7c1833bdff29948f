import * as oauth from 'oauth4webapi';
import type { PerUserSecrets } from '../../connectors/connector-schema';
import { openConnectorSecrets } from '../../connectors/connector-secrets';
import type { CoreDeps } from '../../deps';
import type { StoredConnector, StoredOAuthState } from '../../store';
import {
  authorizationServerOf,
  clientAuthOf,
  clientOf,
  providerRequestOptions,
} from '../oauth-client';
import { assertProviderAvailable, toProviderError } from '../provider-errors';
import { codeVerifierLocation } from '../start-authorization-flow';
import { withoutUnverifiableIdToken } from '../unverifiable-id-token';

/** RFC 6749 §4.1.3 with the PKCE verifier (RFC 7636 §4.5), at this connector's endpoint. */
export async function exchangeAuthorizationCode(
  deps: CoreDeps,
  connector: StoredConnector,
  flow: StoredOAuthState,
  callbackParams: URLSearchParams,
): Promise<oauth.TokenEndpointResponse> {
  const secrets = openConnectorSecrets(deps.vault, connector.id, connector.sealedSecrets);
  const codeVerifier = deps.vault.decrypt(
    flow.sealedCodeVerifier,
    codeVerifierLocation(flow.stateHash),
  );
  const as = authorizationServerOf(connector);
  const client = clientOf(connector);
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      clientAuthOf(connector, secrets as PerUserSecrets),
      callbackParams,
      deps.oauth.redirectUri,
      codeVerifier,
      providerRequestOptions(deps.oauth.providerTimeoutMs, deps.endpointPolicy.allowHttpLoopback),
    );
    return await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await withoutUnverifiableIdToken(connector, assertProviderAvailable(response)),
    );
  } catch (error) {
    throw toProviderError(error);
  }
}
