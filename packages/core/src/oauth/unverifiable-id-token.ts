import type { StoredPerUserConnector } from '../store';

/**
 * Drops the `id_token` of a token response when the connector has no configured issuer.
 * Latchkey never uses ID tokens (it stores access and refresh tokens), and without an issuer
 * there is nothing to compare the token's `iss` with: oauth4webapi would reject every
 * response of such a connector whose scope includes `openid` (OpenID Connect Core §3.1.3.7,
 * step 2). With an issuer configured the ID token is kept and fully validated, an extra
 * mix-up defence.
 */
export async function withoutUnverifiableIdToken(
  connector: StoredPerUserConnector,
  response: Response,
): Promise<Response> {
  if (connector.config.issuer || !response.ok) return response;
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => undefined);
  if (typeof body !== 'object' || body === null || !('id_token' in body)) return response;
  const { id_token: _dropped, ...rest } = body as Record<string, unknown>;
  return new Response(JSON.stringify(rest), {
    status: response.status,
    headers: { 'content-type': 'application/json' },
  });
}
