import { LatchkeyError } from '../errors/latchkey-error';

// Control characters, and backslashes that some browsers read as slashes (`/\evil.com`).
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
const SUSPICIOUS = /[\u0000-\u001f\u007f\\]/;

/**
 * A return URL must resolve to our own origin. Parsed relative to the public base URL and
 * re-serialised, so `//evil.com`, `https:evil.com`, `/\evil.com` or userinfo tricks cannot
 * leave it. Returns the absolute, re-serialised URL (path, query and fragment kept).
 */
export function checkReturnUrl(value: string, publicBaseUrl: string): string {
  if (value.length > 2048 || SUSPICIOUS.test(value)) throw invalid();
  let url: URL;
  try {
    url = new URL(value, `${publicBaseUrl}/`);
  } catch {
    throw invalid();
  }
  if (url.origin !== publicBaseUrl || url.username || url.password) throw invalid();
  // Relative values must be absolute paths: `evil.com` would otherwise resolve under our path.
  if (!/^https?:\/\//i.test(value) && !value.startsWith('/')) throw invalid();
  if (value.startsWith('//')) throw invalid();
  return url.href;
}

function invalid(): LatchkeyError {
  return new LatchkeyError('invalid_return_url');
}
