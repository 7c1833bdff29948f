import type { ProviderQuirks, QuirkRevocation } from './provider-quirks';
import {
  readTokenAnswer,
  spaceDelimitedScope,
  tokenAnswer,
  tokenErrorAnswer,
  unchangedAnswer,
} from './token-answers';

/**
 * GitHub and GitHub Enterprise Server answer token errors with HTTP 200, and in the form
 * encoding unless asked for JSON. Their own codes, where RFC 6749 §5.2 has one that means
 * the same; others pass on as GitHub named them.
 * https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
 */
const RFC_ERRORS: Readonly<Record<string, string>> = {
  bad_verification_code: 'invalid_grant',
  bad_refresh_token: 'invalid_grant',
  incorrect_client_credentials: 'invalid_client',
};

/** Lifetimes a form-encoded answer carries as text, which RFC 6749 §5.1 wants as numbers. */
const NUMBER_FIELDS = ['expires_in', 'refresh_token_expires_in'];

export async function githubTokenResponse(response: Response): Promise<Response> {
  const { text, fields } = await readTokenAnswer(response);
  if (response.status !== 200 || fields === undefined) return unchangedAnswer(response, text);
  if (typeof fields.error === 'string') {
    const description = fields.error_description;
    return tokenErrorAnswer(
      RFC_ERRORS[fields.error] ?? fields.error,
      typeof description === 'string' ? description : undefined,
    );
  }
  const standard: Record<string, unknown> = { ...fields, scope: spaceDelimitedScope(fields.scope) };
  for (const name of NUMBER_FIELDS) {
    const value = standard[name];
    if (typeof value === 'string' && /^\d{1,10}$/.test(value)) standard[name] = Number(value);
  }
  return tokenAnswer(standard);
}

/**
 * GitHub has no RFC 7009 endpoint: an app deletes a user's grant, and with it every token
 * it holds for that user, with its client credentials and one of the user's access tokens.
 * A refresh token cannot name the grant, and needs no request of its own.
 * https://docs.github.com/en/rest/apps/oauth-applications#delete-an-app-authorization
 */
export async function deleteGitHubGrant(revocation: QuirkRevocation): Promise<void> {
  if (revocation.tokenTypeHint !== 'access_token') return;
  const { fetch, token, clientId, clientSecret, apiBaseUrl, signal } = revocation;
  const credentials = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
  const response = await fetch(`${apiBaseUrl}/applications/${encodeURIComponent(clientId)}/grant`, {
    method: 'DELETE',
    redirect: 'manual',
    headers: {
      authorization: `Basic ${credentials}`,
      accept: 'application/vnd.github+json',
      'content-type': 'application/json',
      'user-agent': 'Latchkey',
      'x-github-api-version': '2022-11-28',
    },
    body: JSON.stringify({ access_token: token }),
    signal,
  });
  await response.body?.cancel();
  // 204 is the one documented success; 422 and anything else leave the grant in place.
  if (response.status !== 204) throw new Error(`GitHub kept the grant: HTTP ${response.status}`);
}

export const github: ProviderQuirks = {
  tokenResponse: githubTokenResponse,
  revoke: deleteGitHubGrant,
};
