import type { ProviderQuirks, QuirkRevocation } from './provider-quirks';

/**
 * Notion's revocation is not RFC 7009's: a JSON body `{token}`, RFC 7617 Basic client
 * authentication (Notion decodes no form encoding), and the `Notion-Version` header every
 * Notion endpoint requires, from the entry's API headers. It names no token type, so each
 * token is sent on its own. https://developers.notion.com/reference/revoke-token
 */
export async function revokeNotionToken(revocation: QuirkRevocation): Promise<void> {
  const { fetch, token, clientId, clientSecret, apiBaseUrl, apiHeaders, signal } = revocation;
  const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
  const response = await fetch(`${apiBaseUrl}/oauth/revoke`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      ...apiHeaders,
      authorization: `Basic ${basic}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ token }),
    signal,
  });
  await response.body?.cancel();
  if (response.status !== 200) {
    throw new Error(`Notion did not revoke the token: HTTP ${response.status}`);
  }
}

export const notion: ProviderQuirks = { revoke: revokeNotionToken };
