import * as oauth from 'oauth4webapi';
import type { CoreDeps } from '../deps';
import type { ErrorCode } from '../errors/error-codes';
import { LatchkeyError } from '../errors/latchkey-error';
import type { StoredPerUserConnector } from '../store';
import { authorizationUrlOf } from './authorization-url';
import { providerClientOf } from './oauth-client';
import { assertProviderAvailable, toProviderError } from './provider-errors';

/**
 * PAR whenever the server offers it, not only when it requires it: the parameters then travel
 * client-authenticated over a back channel instead of through the browser (RFC 9126 §1).
 */
export function usesPushedAuthorization(as: oauth.AuthorizationServer): boolean {
  return Boolean(
    as.require_pushed_authorization_requests || as.pushed_authorization_request_endpoint,
  );
}

/** Codes of a failed push kept as they are: an outage, a client to fix, the egress policy. */
const KEPT_CODES = new Set<ErrorCode>([
  'provider_unavailable',
  'oauth_client_authentication_failed',
  'egress_denied',
]);

/**
 * RFC 9126 §2: pushes the authorization request's parameters, client-authenticated, and
 * returns the authorization URL that carries only `client_id` and the `request_uri` (§4).
 */
export async function pushAuthorizationRequest(
  deps: CoreDeps,
  connector: StoredPerUserConnector,
  as: oauth.AuthorizationServer,
  parameters: URLSearchParams,
): Promise<string> {
  const { client, auth, options } = providerClientOf(deps, connector, as);
  let pushed: oauth.PushedAuthorizationResponse;
  try {
    const response = await oauth.pushedAuthorizationRequest(as, client, auth, parameters, options);
    pushed = await oauth.processPushedAuthorizationResponse(
      as,
      client,
      assertProviderAvailable(response),
    );
  } catch (error) {
    const refusal = toProviderError(error);
    if (KEPT_CODES.has(refusal.code)) throw refusal;
    throw new LatchkeyError('oauth_pushed_authorization_failed');
  }
  return authorizationUrlOf(
    as,
    new URLSearchParams({ client_id: client.client_id, request_uri: pushed.request_uri }),
  );
}
