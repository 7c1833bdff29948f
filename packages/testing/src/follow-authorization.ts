import { CookieJar } from './cookie-jar';

export interface FollowAuthorizationOptions {
  /** Stop at the first redirect starting with this; defaults to the request's redirect_uri. */
  stopAtPrefix?: string;
  /** Share a jar across calls to keep the provider session (or Latchkey's cookies). */
  cookieJar?: CookieJar;
}

const MAX_HOPS = 15;
const BODY_EXCERPT_LENGTH = 300;

/**
 * Drives an authorization request the way a browser would (redirects, cookies per host)
 * through the test provider's automatic interactions, and returns the redirect to the
 * client's callback WITHOUT requesting it, so the caller decides how the callback is hit.
 */
export async function followAuthorization(
  authorizationUrl: string,
  options: FollowAuthorizationOptions = {},
): Promise<{ callbackUrl: URL }> {
  const stopAtPrefix = options.stopAtPrefix ?? redirectUriOf(authorizationUrl);
  const jar = options.cookieJar ?? new CookieJar();
  let url = new URL(authorizationUrl);
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    const location = await requestRedirect(url, jar);
    if (location.href.startsWith(stopAtPrefix)) return { callbackUrl: location };
    url = location;
  }
  throw new Error(`followAuthorization: no redirect to ${stopAtPrefix} after ${MAX_HOPS} hops`);
}

/** GETs `url` with the jar's cookies and returns where it redirects to. */
async function requestRedirect(url: URL, jar: CookieJar): Promise<URL> {
  const cookie = jar.headerFor(url);
  const response = await fetch(url, {
    redirect: 'manual',
    headers: cookie === undefined ? {} : { cookie },
  });
  jar.storeFrom(url, response);
  const location = response.headers.get('location');
  if (response.status < 300 || response.status >= 400 || location === null) {
    const body = (await response.text()).slice(0, BODY_EXCERPT_LENGTH);
    throw new Error(`followAuthorization: GET ${url.href} answered ${response.status}: ${body}`);
  }
  // Drain the body so the keep-alive connection is reused.
  await response.arrayBuffer();
  // Relative Locations resolve against the URL that issued them.
  return new URL(location, url);
}

function redirectUriOf(authorizationUrl: string): string {
  const redirectUri = new URL(authorizationUrl).searchParams.get('redirect_uri');
  if (redirectUri === null) {
    throw new Error('followAuthorization: pass stopAtPrefix, the URL has no redirect_uri');
  }
  return redirectUri;
}
