import * as oauth from 'oauth4webapi';
import { LatchkeyError } from '../errors/latchkey-error';

/**
 * Turns whatever a provider call threw into one of our codes. Provider text (descriptions,
 * bodies) is dropped on purpose: it is untrusted and may echo secrets.
 */
export function toProviderError(error: unknown): LatchkeyError {
  if (error instanceof LatchkeyError) return error;
  // RFC 6749 §5.2: a 401 from the token endpoint is a failed client authentication, and
  // providers that answer it with a `WWW-Authenticate` challenge (oidc-provider does, for
  // `client_secret_basic`) make oauth4webapi throw this instead of a ResponseBodyError.
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    return error.status === 401
      ? new LatchkeyError('oauth_client_authentication_failed')
      : new LatchkeyError('oauth_token_exchange_failed');
  }
  if (error instanceof oauth.ResponseBodyError) {
    if (error.error === 'invalid_client' || error.status === 401) {
      return new LatchkeyError('oauth_client_authentication_failed');
    }
    if (error.error === 'invalid_grant') return new LatchkeyError('oauth_invalid_grant');
    if (error.status >= 500) return new LatchkeyError('provider_unavailable');
    return new LatchkeyError('oauth_token_exchange_failed');
  }
  if (isNetworkError(error)) return new LatchkeyError('provider_unavailable');
  return new LatchkeyError('oauth_token_exchange_failed');
}

function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // fetch rejects with TypeError on connection failures; AbortSignal.timeout with TimeoutError.
  return error.name === 'TimeoutError' || error.name === 'AbortError' || error instanceof TypeError;
}

/** 5xx answers are outages, not protocol errors: say so before oauth4webapi parses them. */
export function assertProviderAvailable(response: Response): Response {
  if (response.status >= 500) throw new LatchkeyError('provider_unavailable');
  return response;
}
