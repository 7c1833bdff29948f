import type { LightMyRequestResponse } from 'fastify';
import { REDIRECT_URI } from './oauth-harness';

/** How a callback ended, read the way the UI reads it: from the redirect or the result page. */
export interface CallbackResult {
  mode: 'redirect' | 'page';
  status: string | null;
  error: string | null;
  connectorId: string | null;
  location?: URL;
}

export function readResult(response: LightMyRequestResponse): CallbackResult {
  if (response.statusCode === 302) {
    const location = new URL(response.headers.location as string);
    return {
      mode: 'redirect',
      status: location.searchParams.get('oauth_authorization'),
      error: location.searchParams.get('error'),
      connectorId: location.searchParams.get('connector_id'),
      location,
    };
  }
  const attribute = (name: string) =>
    new RegExp(`data-${name}="([^"]*)"`).exec(response.body)?.[1] || null;
  return {
    mode: 'page',
    status: attribute('status'),
    error: attribute('error'),
    connectorId: attribute('connector-id'),
  };
}

/**
 * A copy of a callback URL with parameters replaced (string), removed (null) or given
 * several times (array), as an attacker or a broken provider would send it.
 */
export function withParams(url: URL, changes: Record<string, string | string[] | null>): URL {
  const changed = new URL(url);
  for (const [name, value] of Object.entries(changes)) {
    changed.searchParams.delete(name);
    for (const item of value === null ? [] : [value].flat()) {
      changed.searchParams.append(name, item);
    }
  }
  return changed;
}

/** A callback URL built by hand, without any provider. */
export function craftedCallback(params: Record<string, string>): URL {
  const url = new URL(REDIRECT_URI);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url;
}
