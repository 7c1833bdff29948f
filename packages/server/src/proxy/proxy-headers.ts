import type { IncomingHttpHeaders } from 'node:http';
import { HTTP_RESERVED_HEADERS } from '@latchkey/core';

/**
 * The headers HTTP reserves for the connection and the framing (RFC 9110 §7.6.1: Node and
 * undici frame each hop themselves), plus what must never cross the proxy.
 */
const NOT_FORWARDED = new Set([
  ...HTTP_RESERVED_HEADERS,
  'authorization',
  'cookie',
  'x-latchkey-user',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'origin',
  'referer',
]);

/**
 * Hop-by-hop headers, cookies, and what would set policy for Latchkey's origin or act on it:
 * the answer is served from our origin, so the API must not loosen our CSP, framing or
 * sniffing rules (every header helmet sets keeps our value), grant CORS or timing reads,
 * clear our cookies or site data, redirect the page, or leave state the browser keeps for
 * the whole origin (reporting endpoints that would receive our users' URLs, service-worker
 * scope, client hints, login status, pins, other protocols' endpoints).
 */
const NOT_RETURNED = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'set-cookie',
  'set-cookie2',
  'content-security-policy',
  'content-security-policy-report-only',
  'x-frame-options',
  'x-content-type-options',
  'x-xss-protection',
  'strict-transport-security',
  'referrer-policy',
  'permissions-policy',
  'cross-origin-opener-policy',
  'cross-origin-embedder-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'clear-site-data',
  'refresh',
  'alt-svc',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-permitted-cross-domain-policies',
  'feature-policy',
  'document-policy',
  'require-document-policy',
  'document-isolation-policy',
  'supports-loading-mode',
  'speculation-rules',
  'timing-allow-origin',
  'nel',
  'report-to',
  'reporting-endpoints',
  'service-worker-allowed',
  'accept-ch',
  'accept-ch-lifetime',
  'critical-ch',
  'set-login',
  'origin-trial',
  'observe-browsing-topics',
  'activate-storage-access',
  'public-key-pins',
  'public-key-pins-report-only',
  'expect-ct',
]);
// `x-latchkey-`: what Latchkey reports itself, which an API must not be able to forge.
const NOT_RETURNED_PREFIXES = ['access-control-', 'x-latchkey-'];

/**
 * Headers named in `Connection` are hop-by-hop too (RFC 9110 §7.6.1). The usual value,
 * `keep-alive`, names a header already excluded: no set of names to build for it.
 */
function connectionTokens(
  value: string | string[] | undefined,
  excluded: Set<string>,
): Set<string> | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.join(',') : value;
  if (excluded.has(text.toLowerCase())) return undefined;
  return new Set(
    text
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** The headers not excluded, by lower-case name, added to `kept` (replacing what it has). */
function pick(
  headers: Record<string, string | string[] | undefined>,
  excluded: Set<string>,
  excludedPrefixes: readonly string[] = [],
  kept: Record<string, string | string[]> = {},
): Record<string, string | string[]> {
  const named = connectionTokens(headers.connection, excluded);
  for (const name in headers) {
    const value = headers[name];
    const lower = name.toLowerCase();
    if (value === undefined || excluded.has(lower) || named?.has(lower)) continue;
    if (startsWithAny(lower, excludedPrefixes)) continue;
    kept[lower] = value;
  }
  return kept;
}

function startsWithAny(name: string, prefixes: readonly string[]): boolean {
  for (const prefix of prefixes) if (name.startsWith(prefix)) return true;
  return false;
}

/** The caller's headers that go on to the API, over the connector's own `defaults`. */
export function forwardableRequestHeaders(
  headers: IncomingHttpHeaders,
  defaults: Record<string, string>,
) {
  return pick(headers, NOT_FORWARDED, [], defaults);
}

export function returnableResponseHeaders(
  headers: Record<string, string | string[] | undefined>,
  upstreamUrl: string,
  ownOrigin: string,
) {
  const kept = pick(headers, NOT_RETURNED, NOT_RETURNED_PREFIXES);
  kept['cache-control'] = privateCacheControl(kept['cache-control']);
  if (promptsForCredentials(kept['www-authenticate'])) delete kept['www-authenticate'];
  const location = upstreamLocation(kept.location, upstreamUrl, ownOrigin);
  if (location === undefined) delete kept.location;
  else kept.location = location;
  return kept;
}

/**
 * A challenge a browser answers on its own (RFC 9110 §11.6.1): a password dialog shown by
 * Latchkey's origin, or Windows credentials sent to it. `Bearer` challenges (RFC 6750 §3)
 * pass: API clients read their error and scope. A false match only drops the header.
 */
function promptsForCredentials(value: string | string[] | undefined): boolean {
  if (value === undefined) return false;
  const text = Array.isArray(value) ? value.join(',') : value;
  return /(^|,)\s*(basic|digest|negotiate|ntlm|kerberos)\b/i.test(text);
}

/**
 * A redirect from the API, made absolute against the API's URL: as sent, `/api/users/x`
 * would point at Latchkey itself, and a browser following it would repeat the method and
 * body there with the session cookie. One that points at Latchkey's origin is dropped.
 */
function upstreamLocation(
  value: string | string[] | undefined,
  upstreamUrl: string,
  ownOrigin: string,
): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value, upstreamUrl);
    return url.origin === ownOrigin ? undefined : url.href;
  } catch {
    return undefined;
  }
}

/**
 * Every caller gets a different answer at the same URL (their own token, or a credential
 * only signed-in callers may use): a shared cache must never store it (RFC 9111 §5.2.2.7).
 * The API's own freshness rules still apply in the caller's private cache.
 */
function privateCacheControl(value: string | string[] | undefined): string {
  if (value === undefined) return 'private';
  const directives = (Array.isArray(value) ? value.join(',') : (value ?? ''))
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d && !/^(public|private|s-maxage=.*|proxy-revalidate)$/i.test(d));
  return ['private', ...directives].join(', ');
}

/**
 * Our policy for every proxied answer: the API's content (an HTML file from a drive, say)
 * is data, never an active page of this origin — no script, no form, no plugin, no frame.
 */
export const PROXIED_CONTENT_SECURITY_POLICY =
  "default-src 'none'; sandbox; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
