import * as oauth from 'oauth4webapi';
import type { CoreDeps } from '../../deps';
import type { StoredOAuthState } from '../../store';
import { providerClientOf } from '../oauth-client';
import { assertProviderAvailable, toProviderError } from '../provider-errors';
import { codeVerifierLocation } from '../start-authorization-flow';
import { withoutUnverifiableIdToken } from '../unverifiable-id-token';
import type { FlowConnector } from './load-flow-connector';

/** RFC 6749 §4.1.3 with the PKCE verifier (RFC 7636 §4.5), at this connector's endpoint. */
export async function exchangeAuthorizationCode(
  deps: CoreDeps,
  { connector, as }: FlowConnector,
  flow: StoredOAuthState,
  callbackParams: URLSearchParams,
): Promise<oauth.TokenEndpointResponse> {
  const codeVerifier = deps.vault.decrypt(
    flow.sealedCodeVerifier,
    codeVerifierLocation(flow.stateHash),
  );
  const { client, auth, tokenOptions } = providerClientOf(deps, connector, as);
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      auth,
      callbackParams,
      deps.oauth.redirectUri,
      // A preset whose provider refuses PKCE parameters started the flow without a challenge.
      connector.config.pkce === false ? oauth.nopkce : codeVerifier,
      tokenOptions,
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
