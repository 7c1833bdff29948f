import * as oauth from 'oauth4webapi';
import { LatchkeyError } from '../errors/latchkey-error';

/**
 * Turns whatever a provider call threw into one of our codes. Provider text (descriptions,
 * bodies) is dropped on purpose: it is untrusted and may echo secrets.
 */
export function toProviderError(error: unknown): LatchkeyError {
  if (error instanceof LatchkeyError) return error;
  if (error instanceof oauth.ResponseBodyError) return fromErrorAnswer(error.status, error.error);
  // oauth4webapi throws this instead of a ResponseBodyError when the answer carries a
  // `WWW-Authenticate` header (oidc-provider does, with a 401 for `client_secret_basic`).
  // An error code in the body has already won (provider-fetch.ts); here the answer had
  // none, so the challenge's `error` parameter is the only code there is.
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    return fromErrorAnswer(error.status, challengeErrorCode(error.cause));
  }
  if (isNetworkError(error)) return new LatchkeyError('provider_unavailable');
  return new LatchkeyError('oauth_token_exchange_failed');
}

/** RFC 6749 §5.2: an error answer of the token endpoint, by its status and error code. */
function fromErrorAnswer(status: number, code: string | undefined): LatchkeyError {
  // An outage never deletes a user's tokens, whatever code comes with it.
  if (status >= 500) return new LatchkeyError('provider_unavailable');
  // §5.2 keeps 401 for a failed client authentication.
  if (code === 'invalid_client' || status === 401) {
    return new LatchkeyError('oauth_client_authentication_failed');
  }
  if (code === 'invalid_grant') return new LatchkeyError('oauth_invalid_grant');
  return new LatchkeyError('oauth_token_exchange_failed');
}

function challengeErrorCode(challenges: oauth.WWWAuthenticateChallenge[]): string | undefined {
  return challenges.find((challenge) => challenge.parameters.error)?.parameters.error;
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
