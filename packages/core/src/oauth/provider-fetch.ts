import type * as oauth from 'oauth4webapi';
import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';
import { recordAudit } from './audit';

/**
 * oauth4webapi's `customFetch` for every call to a provider (its metadata, or this
 * connector's token, PAR or revocation endpoint): sent through the egress policy
 * (`deps.providerFetch`), a refusal audited, and one provider quirk smoothed over (see
 * preferErrorBody). No connector id while a connector is being created.
 */
export function fetchFromProviderOf(deps: CoreDeps, connectorId: string | undefined) {
  return async (
    url: string,
    options: oauth.CustomFetchOptions<string, unknown>,
  ): Promise<Response> => {
    try {
      return preferErrorBody(await deps.providerFetch(url, options as RequestInit));
    } catch (error) {
      if (error instanceof LatchkeyError && error.code === 'egress_denied') {
        await recordAudit(deps.store, deps.now(), {
          action: 'egress_denied',
          outcome: 'failure',
          reason: 'provider_request',
          ...(connectorId ? { connectorId } : {}),
        });
      }
      throw error;
    }
  };
}

/**
 * Some providers add a `WWW-Authenticate` challenge to every 4xx error answer, and
 * oauth4webapi then reports the challenge without reading the body. When the body holds an
 * error code, the body wins and the challenge is dropped: RFC 6749 §5.2 (and RFC 7009
 * §2.2.1) make that JSON body the endpoint's error answer, whereas the header there is only
 * the client-authentication challenge of §5.2, whose `error` parameter belongs to resource
 * servers (RFC 6750 §3). It also keeps the outcome that deletes a user's tokens
 * (`invalid_grant`) tied to the one place the RFC defines for it. Without such a body the
 * challenge stays, and toProviderError reads its `error` parameter instead.
 */
export async function preferErrorBody(response: Response): Promise<Response> {
  if (response.status < 400 || response.status > 499) return response;
  if (!response.headers.has('www-authenticate') || !isJson(response)) return response;
  const text = await response.text();
  const headers = new Headers(response.headers);
  if (hasErrorCode(text)) headers.delete('www-authenticate');
  return new Response(text, { status: response.status, statusText: response.statusText, headers });
}

function isJson(response: Response): boolean {
  const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json';
}

function hasErrorCode(text: string): boolean {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
    const { error } = body as { error?: unknown };
    return typeof error === 'string' && error.length > 0;
  } catch {
    return false;
  }
}
