interface StoredCookie {
  name: string;
  value: string;
  path: string;
  /** Epoch milliseconds; Infinity for a session cookie. */
  expiresAt: number;
}

/**
 * A minimal RFC 6265 cookie jar: cookies are kept per host (not per port, as browsers do),
 * matched by path, and removed when the server expires them. Domain, Secure and SameSite
 * are ignored: the harness only talks to loopback hosts over http.
 */
export class CookieJar {
  private readonly hosts = new Map<string, Map<string, StoredCookie>>();

  /** Records the Set-Cookie headers of a response to `url`. */
  storeFrom(url: URL, response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const cookie = parseSetCookie(header, url);
      if (cookie === undefined) continue;
      const cookies = this.hosts.get(url.hostname) ?? new Map<string, StoredCookie>();
      const key = `${cookie.name};${cookie.path}`;
      if (cookie.expiresAt <= Date.now()) {
        cookies.delete(key);
      } else {
        cookies.set(key, cookie);
      }
      this.hosts.set(url.hostname, cookies);
    }
  }

  /** The Cookie header a browser would send to `url`, or undefined when there is none. */
  headerFor(url: URL): string | undefined {
    const now = Date.now();
    const matching = [...(this.hosts.get(url.hostname)?.values() ?? [])]
      .filter((cookie) => cookie.expiresAt > now && pathMatches(cookie.path, url.pathname))
      // RFC 6265 §5.4: longer paths first, so the most specific cookie wins on a name clash.
      .sort((a, b) => b.path.length - a.path.length);
    return matching.length === 0
      ? undefined
      : matching.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  }
}

function parseSetCookie(header: string, url: URL): StoredCookie | undefined {
  const [pair = '', ...attributes] = header.split(';');
  const separator = pair.indexOf('=');
  if (separator <= 0) return undefined;
  const cookie: StoredCookie = {
    name: pair.slice(0, separator).trim(),
    value: pair.slice(separator + 1).trim(),
    path: defaultPath(url.pathname),
    expiresAt: Number.POSITIVE_INFINITY,
  };
  let maxAgeSeen = false;
  for (const attribute of attributes) {
    const [rawName = '', ...rest] = attribute.split('=');
    const name = rawName.trim().toLowerCase();
    const value = rest.join('=').trim();
    if (name === 'path' && value.startsWith('/')) cookie.path = value;
    // Max-Age takes precedence over Expires whatever their order (RFC 6265 §5.3 step 3).
    const expiresAt = expiryOf(name, value);
    if (expiresAt === undefined || (name === 'expires' && maxAgeSeen)) continue;
    maxAgeSeen ||= name === 'max-age';
    cookie.expiresAt = expiresAt;
  }
  return cookie;
}

/** Expiry in epoch milliseconds from a Max-Age or Expires attribute; unparsable ones are ignored. */
function expiryOf(name: string, value: string): number | undefined {
  const expiresAt =
    name === 'max-age'
      ? Date.now() + Number(value) * 1000
      : name === 'expires'
        ? Date.parse(value)
        : Number.NaN;
  return Number.isNaN(expiresAt) ? undefined : expiresAt;
}

/** RFC 6265 §5.1.4: the request path up to, not including, its last slash. */
function defaultPath(requestPath: string): string {
  const lastSlash = requestPath.lastIndexOf('/');
  return lastSlash <= 0 ? '/' : requestPath.slice(0, lastSlash);
}

function pathMatches(cookiePath: string, requestPath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}
