import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../errors/error-codes';
import { LatchkeyError } from '../errors/latchkey-error';
import { assertProviderAvailable, toProviderError } from './provider-errors';
import { preferErrorBody } from './provider-fetch';

const AS: oauth.AuthorizationServer = {
  issuer: 'https://provider.example',
  token_endpoint: 'https://provider.example/token',
};
const CLIENT: oauth.Client = { client_id: 'latchkey' };
const JSON_TYPE = { 'content-type': 'application/json' };

interface Answer {
  status: number;
  challenge?: string;
  /** An object is sent as JSON, a string as text/plain. */
  body?: Record<string, unknown> | string;
}

function providerAnswer({ status, challenge, body }: Answer): Response {
  const headers: Record<string, string> =
    typeof body === 'object' ? { ...JSON_TYPE } : { 'content-type': 'text/plain' };
  if (challenge) headers['www-authenticate'] = challenge;
  const text = typeof body === 'object' ? JSON.stringify(body) : (body ?? '');
  return new Response(text, { status, headers });
}

/** What a refresh answered this way ends as: our fetch, then the calls refresh-connection makes. */
async function outcomeOf(answer: Answer, checkAvailable = true): Promise<ErrorCode> {
  try {
    const response = await preferErrorBody(providerAnswer(answer));
    await oauth.processRefreshTokenResponse(
      AS,
      CLIENT,
      checkAvailable ? assertProviderAvailable(response) : response,
    );
  } catch (error) {
    return toProviderError(error).code;
  }
  throw new Error('the answer was accepted');
}

const INVALID_GRANT = { error: 'invalid_grant', error_description: 'grant revoked' };
const INVALID_CLIENT = { error: 'invalid_client' };
const INVALID_REQUEST = { error: 'invalid_request' };
const GRANT_CHALLENGE = 'Bearer error="invalid_grant"';
const CLIENT_CHALLENGE = 'Bearer error="invalid_client"';
/** What oidc-provider sends with a 401 for `client_secret_basic`: no error parameter. */
const BASIC_CHALLENGE = 'Basic realm="provider"';
const GRANT = 'oauth_invalid_grant';
const CLIENT_AUTH = 'oauth_client_authentication_failed';
const FAILED = 'oauth_token_exchange_failed';
const DOWN = 'provider_unavailable';

describe('toProviderError: a token endpoint error answer to one of our codes', () => {
  it.each<[number, string | undefined, Answer['body'], ErrorCode]>([
    // RFC 6749 §5.2 bodies without a challenge; a 401 is the client whatever the code.
    [400, undefined, INVALID_GRANT, GRANT],
    [400, undefined, INVALID_CLIENT, CLIENT_AUTH],
    [401, undefined, INVALID_CLIENT, CLIENT_AUTH],
    [401, undefined, INVALID_GRANT, CLIENT_AUTH],
    [400, undefined, { error: 'invalid_scope' }, FAILED],
    [400, undefined, undefined, FAILED],
    // A challenge beside a body with a code: the body decides.
    [400, GRANT_CHALLENGE, INVALID_GRANT, GRANT],
    [400, BASIC_CHALLENGE, INVALID_GRANT, GRANT],
    [400, CLIENT_CHALLENGE, INVALID_GRANT, GRANT],
    [400, GRANT_CHALLENGE, INVALID_CLIENT, CLIENT_AUTH],
    [400, GRANT_CHALLENGE, INVALID_REQUEST, FAILED],
    [401, BASIC_CHALLENGE, INVALID_CLIENT, CLIENT_AUTH],
    // A challenge and no code in the body: the challenge's `error` parameter decides.
    [400, GRANT_CHALLENGE, 'refused', GRANT],
    [400, GRANT_CHALLENGE, { message: 'refused' }, GRANT],
    [400, `${BASIC_CHALLENGE}, ${GRANT_CHALLENGE}`, undefined, GRANT],
    [400, CLIENT_CHALLENGE, undefined, CLIENT_AUTH],
    [400, 'Bearer error="invalid_request"', undefined, FAILED],
    [400, BASIC_CHALLENGE, undefined, FAILED],
    [401, GRANT_CHALLENGE, undefined, CLIENT_AUTH],
    [401, BASIC_CHALLENGE, undefined, CLIENT_AUTH],
    // Outages, whatever code comes with them.
    [503, GRANT_CHALLENGE, INVALID_GRANT, DOWN],
    [500, undefined, undefined, DOWN],
    // Not an error answer, and still not usable.
    [200, undefined, { token_type: 'Bearer' }, FAILED],
  ])('%i, challenge %s, body %j → %s', async (status, challenge, body, code) => {
    expect(await outcomeOf({ status, challenge, body })).toBe(code);
  });

  it('keeps a 5xx challenge naming invalid_grant an outage even past assertProviderAvailable', async () => {
    const answer = { status: 503, challenge: 'Bearer error="invalid_grant"' };
    expect(await outcomeOf(answer, false)).toBe('provider_unavailable');
  });

  it('maps network failures to provider_unavailable and passes our own errors through', () => {
    expect(toProviderError(new TypeError('fetch failed')).code).toBe('provider_unavailable');
    const timeout = new DOMException('The operation timed out.', 'TimeoutError');
    expect(toProviderError(timeout).code).toBe('provider_unavailable');
    const ours = new LatchkeyError('reauth_required');
    expect(toProviderError(ours)).toBe(ours);
    expect(toProviderError(new Error('anything else')).code).toBe('oauth_token_exchange_failed');
  });
});

describe('preferErrorBody', () => {
  it('drops only the challenge, keeping status, body and other headers', async () => {
    const answer = providerAnswer({
      status: 400,
      challenge: 'Basic realm="x"',
      body: INVALID_GRANT,
    });
    answer.headers.set('cache-control', 'no-store');
    const normalised = await preferErrorBody(answer);
    expect(normalised.status).toBe(400);
    expect(normalised.headers.get('www-authenticate')).toBeNull();
    expect(normalised.headers.get('cache-control')).toBe('no-store');
    expect(await normalised.json()).toEqual(INVALID_GRANT);
  });

  it('leaves success answers, 5xx answers and answers without a challenge untouched', async () => {
    for (const answer of [
      providerAnswer({ status: 200, challenge: 'Basic realm="x"', body: { access_token: 'a' } }),
      providerAnswer({
        status: 503,
        challenge: 'Bearer error="invalid_grant"',
        body: INVALID_GRANT,
      }),
      providerAnswer({ status: 400, body: INVALID_GRANT }),
    ]) {
      expect(await preferErrorBody(answer)).toBe(answer);
    }
  });
});
