import { LatchkeyError } from '../errors/latchkey-error';

/** Longer return URLs are refused: nothing of ours needs them, and they end up in headers. */
const MAX_RETURN_URL_LENGTH = 2048;

// Control characters, and backslashes that some browsers read as slashes (`/\evil.com`).
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
const SUSPICIOUS = /[\u0000-\u001f\u007f\\]/;

/**
 * A return URL must resolve to one of `allowedOrigins` (our own origin unless said). Parsed relative to the public base URL and
 * re-serialised, so `//evil.com`, `https:evil.com`, `/\evil.com` or userinfo tricks cannot
 * leave it. The value is also checked once percent-decoded (`/%0d%0a…`, `/%5cevil.com`,
 * `/%2f%2fevil.com`): the page we send the browser to may decode its own URL (a client-side
 * router does) and must not find a line break, a backslash or a `//host` path in it.
 * Returns the absolute, re-serialised URL (path, query and fragment kept).
 */
export function checkReturnUrl(
  value: string,
  publicBaseUrl: string,
  allowedOrigins: readonly string[] = [publicBaseUrl],
): string {
  if (value.length > MAX_RETURN_URL_LENGTH || SUSPICIOUS.test(value)) throw invalid();
  const decoded = decodeOnce(value);
  if (decoded === undefined || SUSPICIOUS.test(decoded)) throw invalid();
  let url: URL;
  try {
    url = new URL(value, `${publicBaseUrl}/`);
  } catch {
    throw invalid();
  }
  if (!allowedOrigins.includes(url.origin) || url.username || url.password) throw invalid();
  // Relative values must be absolute paths: `evil.com` would otherwise resolve under our path.
  if (!/^https?:\/\//i.test(value) && !value.startsWith('/')) throw invalid();
  const path = decodeOnce(url.pathname);
  if (value.startsWith('//') || path === undefined || path.startsWith('//')) throw invalid();
  return url.href;
}

function decodeOnce(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function invalid(): LatchkeyError {
  return new LatchkeyError('invalid_return_url');
}
