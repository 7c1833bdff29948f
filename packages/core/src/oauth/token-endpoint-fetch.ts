import { QUIRKS } from '@latchkey/catalog';
import type * as oauth from 'oauth4webapi';
import type { StoredPerUserConfig } from '../connectors/connector-schema';

type Fetch = (url: string, options: oauth.CustomFetchOptions<string, unknown>) => Promise<Response>;

/**
 * The token endpoint as the connector's provider wants it, seen by oauth4webapi as the
 * standard one (RFC 6749 §5): the request encoded as the provider asks (a JSON body for
 * Notion), then its answer mapped by the preset's data (tokens nested under `authed_user`,
 * a missing `token_type`), then by its quirk module (errors answered with HTTP 200).
 */
export function tokenEndpointFetchOf(send: Fetch, config: StoredPerUserConfig): Fetch {
  const quirks = config.quirks ? QUIRKS[config.quirks] : undefined;
  return async (url, options) => {
    const request = config.tokenRequestBody === 'json' ? withJsonBody(options) : options;
    const response = await mapTokenResponse(await send(url, request), config.tokenResponse);
    return quirks?.tokenResponse ? quirks.tokenResponse(response) : response;
  };
}

/** The same parameters as one JSON object instead of a form. */
function withJsonBody(
  options: oauth.CustomFetchOptions<string, unknown>,
): oauth.CustomFetchOptions<string, unknown> {
  const headers = { ...options.headers, 'content-type': 'application/json' };
  const form = new URLSearchParams(options.body instanceof URLSearchParams ? options.body : '');
  return { ...options, headers, body: JSON.stringify(Object.fromEntries(form)) };
}

/**
 * A successful JSON answer with the tokens moved to the top level (the nested object's
 * fields win; the others stay, so values kept from the answer are still found) and the
 * `token_type` the preset assumes when the provider sends none.
 */
async function mapTokenResponse(
  response: Response,
  rule: StoredPerUserConfig['tokenResponse'],
): Promise<Response> {
  if (!rule || !response.ok) return response;
  const text = await response.text();
  const body = jsonObject(text);
  if (!body) return new Response(text, response);
  // Only an object that holds the tokens: Slack nests them at first, not in a refresh answer.
  const atPath = rule.path ? jsonObject(valueAtPath(body, rule.path)) : undefined;
  const nested = atPath && typeof atPath.access_token === 'string' ? atPath : undefined;
  const mapped: Record<string, unknown> = { ...body, ...nested };
  if (mapped.token_type === undefined && rule.tokenType) mapped.token_type = rule.tokenType;
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(mapped), { status: response.status, headers });
}

/** The value at a dot path (`authed_user.access_token`) of a parsed JSON answer. */
export function valueAtPath(body: unknown, path: string): unknown {
  let value = body;
  for (const key of path.split('.')) {
    const object = jsonObject(value);
    if (!object || !Object.hasOwn(object, key)) return undefined;
    value = object[key];
  }
  return value;
}

function jsonObject(value: unknown): Record<string, unknown> | undefined {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
}
