import type * as oauth from 'oauth4webapi';
import { endpointOf } from './oauth-client';

/**
 * The URL the browser is sent to: the authorization endpoint with these parameters, set over
 * any query a typed endpoint already has. With PAR they are only `client_id` and
 * `request_uri` (RFC 9126 §4).
 */
export function authorizationUrlOf(
  as: oauth.AuthorizationServer,
  parameters: URLSearchParams,
): string {
  const url = new URL(endpointOf(as, 'authorization_endpoint'));
  for (const [key, value] of parameters) url.searchParams.set(key, value);
  return url.href;
}
