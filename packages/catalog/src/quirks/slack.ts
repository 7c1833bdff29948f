import type { ApiAnswer, ProviderQuirks, QuirkRevocation } from './provider-quirks';
import {
  isObject,
  readTokenAnswer,
  spaceDelimitedScope,
  tokenAnswer,
  tokenErrorAnswer,
  unchangedAnswer,
} from './token-answers';

/**
 * Slack's Web API answers every outcome, failures included, as `{ok, error}`, mostly with
 * HTTP 200. Its codes where RFC 6749 §5.2 has one that means the same; others pass on as
 * Slack named them.
 * https://docs.slack.dev/reference/methods/oauth.v2.access
 * https://docs.slack.dev/authentication/using-token-rotation
 */
const RFC_ERRORS: Readonly<Record<string, string>> = {
  invalid_code: 'invalid_grant',
  code_already_used: 'invalid_grant',
  invalid_refresh_token: 'invalid_grant',
  token_revoked: 'invalid_grant',
  token_expired: 'invalid_grant',
  invalid_client_id: 'invalid_client',
  bad_client_secret: 'invalid_client',
  invalid_grant_type: 'unsupported_grant_type',
};

/** Slack's outages: answered as a 503 so that nobody takes them for a refused grant. */
const OUTAGES = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable']);

/** API errors that mean the token itself no longer works. */
const DEAD_TOKEN_ERRORS = new Set([
  'invalid_auth',
  'token_expired',
  'token_revoked',
  'account_inactive',
]);

/** auth.revoke errors that mean the authorization is already gone (user or app removed). */
const ALREADY_REVOKED = new Set(['token_revoked', 'account_inactive']);

export async function slackTokenResponse(response: Response): Promise<Response> {
  const { text, fields } = await readTokenAnswer(response);
  if (fields?.ok === false) return slackTokenError(fields.error);
  // After the entry's `tokenResponse.path` lifted `authed_user`, `ok` is gone: a success
  // is known by its token.
  const success = response.status === 200 && typeof fields?.access_token === 'string';
  if (fields === undefined || !success) return unchangedAnswer(response, text);
  // Slack types tokens by owner (`user`, `bot`), while its API takes every one of them as
  // `Authorization: Bearer` (RFC 6750): that is the type RFC 6749 §7.1 asks for here.
  const { ok: _ok, ...tokens } = fields;
  return tokenAnswer({ ...tokens, token_type: 'bearer', scope: spaceDelimitedScope(tokens.scope) });
}

function slackTokenError(error: unknown): Response {
  const code =
    typeof error === 'string' && /^[a-z_]{1,64}$/.test(error) ? error : 'invalid_request';
  if (OUTAGES.has(code)) {
    return new Response(JSON.stringify({ error: code }), {
      status: 503,
      headers: { 'content-type': 'application/json' },
    });
  }
  return tokenErrorAnswer(RFC_ERRORS[code] ?? code, `Slack answered ${code}`);
}

/**
 * auth.revoke authenticates with the token it revokes, so it takes an access token; a
 * refresh token has no request of its own. https://docs.slack.dev/reference/methods/auth.revoke
 */
export async function revokeSlackToken(revocation: QuirkRevocation): Promise<void> {
  if (revocation.tokenTypeHint !== 'access_token') return;
  const { fetch, token, apiBaseUrl, signal } = revocation;
  const response = await fetch(`${apiBaseUrl}/auth.revoke`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: '',
    signal,
  });
  const { fields } = await readTokenAnswer(response);
  if (response.status === 200 && fields?.ok === true) return;
  const error = typeof fields?.error === 'string' ? fields.error : undefined;
  if (error !== undefined && ALREADY_REVOKED.has(error)) return;
  const reason = error && /^[a-z_]{1,64}$/.test(error) ? error : `HTTP ${response.status}`;
  throw new Error(`Slack did not revoke the token: ${reason}`);
}

/**
 * A dead token gets `200 {ok: false, error: "invalid_auth"}` (or another of the codes
 * above) from Slack's API, not a 401. https://docs.slack.dev/apis/web-api/
 */
export function isSlackDeadTokenAnswer(answer: ApiAnswer): boolean {
  try {
    const body: unknown = JSON.parse(answer.body);
    return (
      isObject(body) &&
      body.ok === false &&
      typeof body.error === 'string' &&
      DEAD_TOKEN_ERRORS.has(body.error)
    );
  } catch {
    return false;
  }
}

export const slack: ProviderQuirks = {
  tokenResponse: slackTokenResponse,
  revoke: revokeSlackToken,
  isDeadTokenAnswer: isSlackDeadTokenAnswer,
};
