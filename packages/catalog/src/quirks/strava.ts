import type { ProviderQuirks, QuirkRevocation } from './provider-quirks';
import { isObject, readTokenAnswer, tokenErrorAnswer, unchangedAnswer } from './token-answers';

/**
 * Strava answers token errors as `{message, errors: [{resource, field, code}]}`: the
 * resource says which RFC 6749 §5.2 code it means. https://developers.strava.com/docs/authentication/
 */
const RFC_ERRORS: Readonly<Record<string, string>> = {
  AuthorizationCode: 'invalid_grant',
  RefreshToken: 'invalid_grant',
  Application: 'invalid_client',
};

export async function stravaTokenResponse(response: Response): Promise<Response> {
  const { text, fields } = await readTokenAnswer(response);
  if (response.status < 400 || response.status > 499 || !Array.isArray(fields?.errors)) {
    return unchangedAnswer(response, text);
  }
  const [first]: unknown[] = fields.errors;
  const named = isObject(first) && typeof first.resource === 'string' ? first.resource : '';
  const resource = /^[A-Za-z]{1,40}$/.test(named) ? named : '';
  const error = RFC_ERRORS[resource] ?? 'invalid_request';
  const answer = tokenErrorAnswer(error, `Strava answered ${resource || 'an error'} invalid`);
  // RFC 6749 §5.2 allows the 401 Strava gives a wrong client secret.
  if (error !== 'invalid_client' || response.status !== 401) return answer;
  return new Response(answer.body, { status: 401, headers: answer.headers });
}

/**
 * Strava has no RFC 7009 endpoint: /oauth/deauthorize, on the API's host, ends every token
 * the app holds for the athlete, given one access token in the body (never in the URL, where
 * logs keep it). A refresh token cannot and needs no request of its own.
 * https://developers.strava.com/docs/authentication/#deauthorization
 */
export async function deauthorizeStrava(revocation: QuirkRevocation): Promise<void> {
  if (revocation.tokenTypeHint !== 'access_token') return;
  const { fetch, token, apiBaseUrl, signal } = revocation;
  const response = await fetch(new URL('/oauth/deauthorize', apiBaseUrl).href, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ access_token: token }).toString(),
    signal,
  });
  await response.body?.cancel();
  // A 401 cannot tell a revoked token from an expired one: kept for a retry.
  if (response.status !== 200)
    throw new Error(`Strava kept the authorization: HTTP ${response.status}`);
}

export const strava: ProviderQuirks = {
  tokenResponse: stravaTokenResponse,
  revoke: deauthorizeStrava,
};
