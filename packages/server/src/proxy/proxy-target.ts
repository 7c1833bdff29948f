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

/**
 * A path and a query the URL parser would keep exactly as they are: RFC 3986's unreserved
 * and sub-delimiter characters, `:`, `%` and `/`, and in the query `?` and `@` too but not
 * `'`, which the parser encodes in an http(s) query. Once the checks above have refused
 * dot segments, `//` and the rest, such a path joins the base's path as text: parsing it
 * cost the proxy several microseconds per call, for the same answer. A lone `?` is not
 * plain (the parser drops it); anything else goes through the parser.
 */
const PLAIN_PATH = /^[\w\-.~!$&'()*+,;=:%/]*$/;
const PLAIN_QUERY = /^(\?[\w\-.~!$&()*+,;=:%/?@]+)?$/;

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
  if (base.joinsAsText && PLAIN_PATH.test(rawPath) && PLAIN_QUERY.test(rawQuery)) {
    return { origin: base.origin, pathAndQuery: `${base.url.pathname}${rawPath}${rawQuery}` };
  }
  const target = new URL(rawPath, base.url);
  // Belt and braces: after the URL parser's own normalisation, still under the base.
  if (target.origin !== base.origin || !target.pathname.startsWith(base.url.pathname)) {
    throw invalidPath();
  }
  target.search = rawQuery;
  return { origin: base.origin, pathAndQuery: `${target.pathname}${target.search}` };
}

interface ProxyBase {
  /** The base URL, with a trailing slash. */
  url: URL;
  origin: string;
  /** No query or fragment, which the parser would drop from a join: its path ends in `/`. */
  joinsAsText: boolean;
}

const bases = new Map<string, ProxyBase>();
const MAX_BASES = 1000;

/** The parsed base URL and its origin, once per base URL. */
function baseOf(apiBaseUrl: string): ProxyBase {
  let base = bases.get(apiBaseUrl);
  if (!base) {
    const url = new URL(apiBaseUrl.endsWith('/') ? apiBaseUrl : `${apiBaseUrl}/`);
    base = { url, origin: url.origin, joinsAsText: url.search === '' && url.hash === '' };
    if (bases.size >= MAX_BASES) bases.clear();
    bases.set(apiBaseUrl, base);
  }
  return base;
}

function invalidPath(): LatchkeyError {
  return new LatchkeyError('proxy_path_invalid');
}
