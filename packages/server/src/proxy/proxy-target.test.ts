import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { resolveProxyTarget } from './proxy-target';

/** What the URL parser makes of the join: the proxy's answer for every path it accepts. */
function parsedTarget(apiBaseUrl: string, rawPath: string, rawQuery: string) {
  const base = new URL(apiBaseUrl.endsWith('/') ? apiBaseUrl : `${apiBaseUrl}/`);
  const target = new URL(rawPath, base);
  if (target.origin !== base.origin || !target.pathname.startsWith(base.pathname)) {
    throw new Error(`${rawPath} left ${base.href}`);
  }
  target.search = rawQuery;
  return { origin: base.origin, pathAndQuery: `${target.pathname}${target.search}` };
}

// Characters the parser keeps, encodes, or reads as structure; a few spell dot segments.
const CHARACTERS = [
  ...'aZ09-._~!$&()*+,;=:/?@%2eE_',
  "'",
  ' ',
  '"',
  '#',
  '<',
  '>',
  '`',
  '{',
  '}',
  '|',
  '^',
  '[',
  ']',
  '\\',
  'é',
  '\t',
];
const text = fc.array(fc.constantFrom(...CHARACTERS), { maxLength: 12 }).map((c) => c.join(''));
const rawQuery = fc.oneof(
  fc.constant(''),
  text.map((query) => `?${query}`),
);
const BASES = [
  'http://127.0.0.1:5603/v1/',
  'https://api.example.com',
  'https://x.test/a/../b',
  'https://x.test/a/b?k=1',
  'https://x.test/a/b/#top',
];

describe('resolveProxyTarget', () => {
  it('answers, for every path it accepts, what the URL parser makes of the join', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BASES), text, rawQuery, (base, path, query) => {
        let target: ReturnType<typeof resolveProxyTarget>;
        try {
          target = resolveProxyTarget(base, path, query);
        } catch (error) {
          // Refused, and nothing is sent: only ever as an invalid path.
          expect(error).toMatchObject({ code: 'proxy_path_invalid' });
          return;
        }
        expect(target).toEqual(parsedTarget(base, path, query));
      }),
      { numRuns: 20_000 },
    );
  });

  it('joins a plain path without parsing it, and parses any other', () => {
    const base = 'https://api.example.com/v1/';
    resolveProxyTarget(base, 'warm/the/base/cache', '');
    const parsed = vi.fn();
    vi.stubGlobal(
      'URL',
      class extends URL {
        constructor(...args: ConstructorParameters<typeof URL>) {
          super(...args);
          parsed(args[0]);
        }
      },
    );
    try {
      resolveProxyTarget(base, 'users/me', '?page=2');
      expect(parsed).not.toHaveBeenCalled();
      resolveProxyTarget(base, 'users/{me}', '');
      expect(parsed).toHaveBeenCalledWith('users/{me}');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('keeps an ordinary path and query as sent, under the base path', () => {
    expect(resolveProxyTarget('https://api.example.com/v1', 'users/me', '?page=2&q=a%2Fb')).toEqual(
      { origin: 'https://api.example.com', pathAndQuery: '/v1/users/me?page=2&q=a%2Fb' },
    );
  });
});
