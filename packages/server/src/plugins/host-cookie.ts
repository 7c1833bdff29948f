import type { CookieSerializeOptions } from '@fastify/cookie';

/** A cookie's name and the attributes it is set and cleared with. */
export interface HostCookie {
  name: string;
  options: CookieSerializeOptions & { path: '/' };
}

/**
 * One of Latchkey's own cookies: HttpOnly, SameSite=Lax, and under https `__Host-` (pinned
 * to this host, Secure, Path=/, no Domain: RFC 6265bis §4.1.3.2). A browser refuses a
 * `__Host-` cookie that lacks any of those, also the one that would clear it: set and clear
 * with these same options.
 */
export function hostCookie(publicBaseUrl: string, baseName: string): HostCookie {
  const secure = publicBaseUrl.startsWith('https:');
  return {
    name: secure ? `__Host-${baseName}` : baseName,
    options: { httpOnly: true, sameSite: 'lax', secure, path: '/' },
  };
}
