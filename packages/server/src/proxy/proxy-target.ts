import { LatchkeyError } from '@latchkey/core';

/**
 * Refused in the raw (still encoded) path: traversal in any spelling, encoded slashes and
 * backslashes (which upstream servers may decode into separators), empty segments (`//`),
 * `@` (userinfo tricks), NUL and control characters. A dot segment with path parameters
 * (`..;x`) counts as traversal: servlet containers strip the `;x` and then resolve the `..`.
 */
const FORBIDDEN_RAW = [
  /(^|\/)(\.|%2e){1,2}((;|%3b)[^/]*)?(\/|$)/i,
  /%2f|%5c|%00|%25/i,
  /\\/,
  /\/\//,
  /@|%40/i,
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  /[\u0000-\u001f\u007f\s]/,
];

/** Where a proxied call goes: the API's origin, and the path and query to ask it for. */
export interface ProxyTarget {
  origin: string;
  pathAndQuery: string;
}

/**
 * The upstream URL for a proxied path: the connector's API base URL joined with the path,
 * which must stay under it. The caller's query string is kept as sent.
 */
export function resolveProxyTarget(
  apiBaseUrl: string,
  rawPath: string,
  rawQuery: string,
): ProxyTarget {
  if (rawPath.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(rawPath)) throw invalidPath();
  if (FORBIDDEN_RAW.some((pattern) => pattern.test(rawPath))) throw invalidPath();
  const base = baseOf(apiBaseUrl);
  const target = new URL(rawPath, base.url);
  // Belt and braces: after the URL parser's own normalisation, still under the base.
  if (target.origin !== base.origin || !target.pathname.startsWith(base.url.pathname)) {
    throw invalidPath();
  }
  target.search = rawQuery;
  return { origin: base.origin, pathAndQuery: `${target.pathname}${target.search}` };
}

const bases = new Map<string, { url: URL; origin: string }>();
const MAX_BASES = 1000;

/** The parsed base URL (with a trailing slash) and its origin, once per base URL. */
function baseOf(apiBaseUrl: string): { url: URL; origin: string } {
  let base = bases.get(apiBaseUrl);
  if (!base) {
    const url = new URL(apiBaseUrl.endsWith('/') ? apiBaseUrl : `${apiBaseUrl}/`);
    base = { url, origin: url.origin };
    if (bases.size >= MAX_BASES) bases.clear();
    bases.set(apiBaseUrl, base);
  }
  return base;
}

function invalidPath(): LatchkeyError {
  return new LatchkeyError('proxy_path_invalid');
}
