import { LatchkeyError } from '@latchkey/core';

/** `/api/connectors/<id>/proxy`, then `/` or the end of the path, spelled literally. */
const PROXY_PREFIX = /^\/api\/connectors\/[^/]*\/proxy(?:\/|$)/;

/**
 * The part of the raw (undecoded) URL after `/api/connectors/<id>/proxy/`, and the query
 * string. The router decodes percent-escapes before it matches, so `/prox%79/` lands here
 * too: only the literal spelling is accepted, so that this split agrees with the router
 * about which route this is.
 */
export function splitRawUrl(rawUrl: string): { rawPath: string; rawQuery: string } {
  const queryAt = rawUrl.indexOf('?');
  const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  const prefix = PROXY_PREFIX.exec(path);
  if (!prefix) throw new LatchkeyError('proxy_path_invalid');
  return {
    rawPath: path.slice(prefix[0].length),
    rawQuery: queryAt < 0 ? '' : rawUrl.slice(queryAt),
  };
}
