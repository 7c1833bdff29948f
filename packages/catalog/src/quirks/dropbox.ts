import type { ProviderQuirks, QuirkRevocation } from './provider-quirks';
import { isObject } from './token-answers';

/** The 401 of a token Dropbox no longer knows: revoked, or its app unlinked. */
const ALREADY_REVOKED = 'invalid_access_token';

/**
 * Dropbox has no RFC 7009 endpoint: auth/token/revoke disables the access token that calls
 * it, and with it its refresh token and that refresh token's other access tokens. A refresh
 * token cannot call it and needs no request of its own. An expired access token cannot
 * either, and its refresh token lives on: that is a failure, kept for a retry.
 * https://www.dropbox.com/developers/documentation/http/documentation#auth-token-revoke
 */
export async function revokeDropboxToken(revocation: QuirkRevocation): Promise<void> {
  if (revocation.tokenTypeHint !== 'access_token') return;
  const { fetch, token, apiBaseUrl, signal } = revocation;
  // An RPC endpoint without arguments takes no body and no Content-Type.
  const response = await fetch(`${apiBaseUrl}/auth/token/revoke`, {
    method: 'POST',
    redirect: 'manual',
    headers: { authorization: `Bearer ${token}` },
    body: undefined,
    signal,
  });
  if (response.status === 200) {
    await response.body?.cancel();
    return;
  }
  const tag = await errorTagOf(response);
  if (response.status === 401 && tag === ALREADY_REVOKED) return;
  throw new Error(`Dropbox did not revoke the token: HTTP ${response.status} ${tag ?? ''}`.trim());
}

/** The `.tag` of a Dropbox error answer (`{"error": {".tag": "expired_access_token"}}`). */
async function errorTagOf(response: Response): Promise<string | undefined> {
  try {
    const body: unknown = await response.json();
    const error = isObject(body) ? body.error : undefined;
    const tag = isObject(error) ? error['.tag'] : undefined;
    return typeof tag === 'string' && /^[a-z_]{1,64}$/.test(tag) ? tag : undefined;
  } catch {
    return undefined;
  }
}

export const dropbox: ProviderQuirks = { revoke: revokeDropboxToken };
