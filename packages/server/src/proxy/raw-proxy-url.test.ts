import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitRawUrl } from './raw-proxy-url';

/** The split by segments that this replaced: the reference for every raw URL. */
function splitBySegments(rawUrl: string) {
  const queryAt = rawUrl.indexOf('?');
  const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  const segments = path.split('/');
  if (segments[1] !== 'api' || segments[2] !== 'connectors' || segments[4] !== 'proxy') {
    return undefined;
  }
  return {
    rawPath: segments.slice(5).join('/'),
    rawQuery: queryAt < 0 ? '' : rawUrl.slice(queryAt),
  };
}

const PATH_INVALID = expect.objectContaining({ code: 'proxy_path_invalid' });
// Pieces joined with no separator, so that a route's words also run into each other.
const piece = fc.constantFrom('/', 'api', 'connectors', 'proxy', 'prox%79', 'c1', '?', 'x');
const start = fc.constantFrom(
  '/',
  '/api/connectors/c1/proxy',
  '/api/connectors//proxy',
  '/x/api/connectors/c1/proxy',
);
const rawUrl = fc
  .tuple(start, fc.array(piece, { maxLength: 8 }))
  .map(([first, pieces]) => `${first}${pieces.join('')}`);

describe('splitRawUrl', () => {
  it('splits every raw URL as the split by segments did, and refuses the same ones', () => {
    fc.assert(
      fc.property(rawUrl, (url) => {
        const expected = splitBySegments(url);
        if (expected === undefined) expect(() => splitRawUrl(url)).toThrow(PATH_INVALID);
        else expect(splitRawUrl(url)).toEqual(expected);
      }),
      { numRuns: 20_000 },
    );
  });

  it('keeps the path after the proxy prefix and the query as sent', () => {
    expect(splitRawUrl('/api/connectors/c1/proxy/users/me?page=2')).toEqual({
      rawPath: 'users/me',
      rawQuery: '?page=2',
    });
    expect(() => splitRawUrl('/api/connectors/c1/prox%79/users')).toThrow(PATH_INVALID);
    // Stricter than the split by segments, which never looked before the first `/`: Node
    // hands a route only URLs that begin with one.
    expect(() => splitRawUrl('x/api/connectors/c1/proxy/users')).toThrow(PATH_INVALID);
  });
});
