import * as oauth from 'oauth4webapi';
import { LatchkeyError } from '../../errors/latchkey-error';
import { clientOf } from '../oauth-client';
import type { FlowConnector } from './load-flow-connector';

/** A short, safe token of the provider's `error`: letters and underscores only. */
function providerErrorCode(params: URLSearchParams): string {
  const error = params.get('error') ?? '';
  return /^[a-z_]{1,64}$/.test(error) ? error : 'unknown';
}

/** RFC 6749 §4.1.2.1: the provider answered with an error instead of a code. */
function rejectProviderError(params: URLSearchParams): void {
  if (!params.has('error')) return;
  const code = providerErrorCode(params);
  throw new LatchkeyError(
    code === 'access_denied' ? 'oauth_access_denied' : 'oauth_provider_error',
    undefined,
    { providerError: code },
  );
}

/**
 * Checks `iss` when the issuer is known (RFC 9207, the mix-up defence) and `state`, then
 * whether the provider answered with an error. `iss` is checked on error responses too
 * (RFC 9207 §2.4): an error injected by another provider is a mix-up attempt, not a refusal.
 * It is required when `as` says the server sends it: always with a typed issuer, and as the
 * metadata says with discovery (`authorization_response_iss_parameter_supported`).
 * Without a configured issuer, `iss` is dropped: there is nothing to compare it with.
 */
export function validateAuthorizationResponse(
  { connector, as }: FlowConnector,
  params: URLSearchParams,
  expectedState: string,
): URLSearchParams {
  const checked = new URLSearchParams(params);
  if (!connector.config.issuer) checked.delete('iss');
  let validated: URLSearchParams;
  try {
    validated = oauth.validateAuthResponse(as, clientOf(connector), checked, expectedState);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) rejectProviderError(params);
    throw new LatchkeyError('oauth_response_invalid');
  }
  // An empty `error=` passes oauth4webapi's check; it is still not a code.
  rejectProviderError(params);
  return validated;
}
