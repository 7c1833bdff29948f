import { describe, expect, it } from 'vitest';
import { CookieJar } from './cookie-jar';

function withCookies(...setCookies: string[]): Response {
  const headers = new Headers();
  for (const value of setCookies) headers.append('set-cookie', value);
  return new Response(null, { headers });
}

describe('CookieJar', () => {
  it('keeps cookies per host, ignoring the port', () => {
    const jar = new CookieJar();
    jar.storeFrom(new URL('http://127.0.0.1:1000/'), withCookies('a=1; Path=/'));
    expect(jar.headerFor(new URL('http://127.0.0.1:2000/x'))).toBe('a=1');
    expect(jar.headerFor(new URL('http://localhost:1000/x'))).toBeUndefined();
  });

  it('matches paths and sends the most specific cookie first', () => {
    const jar = new CookieJar();
    const url = new URL('http://127.0.0.1/interaction/abc');
    jar.storeFrom(url, withCookies('i=abc; Path=/interaction/abc', 'i=root; Path=/'));
    expect(jar.headerFor(url)).toBe('i=abc; i=root');
    expect(jar.headerFor(new URL('http://127.0.0.1/interaction/abcd'))).toBe('i=root');
  });

  it('forgets a cookie the server expires', () => {
    const jar = new CookieJar();
    const url = new URL('http://127.0.0.1/');
    jar.storeFrom(url, withCookies('s=1; Path=/; Max-Age=60'));
    jar.storeFrom(url, withCookies('s=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT'));
    expect(jar.headerFor(url)).toBeUndefined();
  });
});
