import { LatchkeyError } from '@latchkey/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config';
import { PROXY_ROUTE } from '../routes/api/connectors/proxy';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SAME_SITE_FETCH = new Set(['same-origin', 'none']);

/**
 * Refuses cross-site state changes before any handler runs. Browsers send
 * `Sec-Fetch-Site`; older ones at least `Origin`. POSTs must be JSON, which a cross-site
 * form cannot send without a CORS preflight (which we never grant).
 */
export function registerCrossSiteGuard(
  app: FastifyInstance,
  config: Pick<Config, 'publicBaseUrl' | 'connectReturnOrigins'>,
) {
  const { publicBaseUrl } = config;
  const sessionOrigins = new Set([publicBaseUrl, ...config.connectReturnOrigins]);
  // A callback hook, not an async one: one promise less per request.
  app.addHook('onRequest', function guardCrossSite(request, _reply, done) {
    let refusal: LatchkeyError | undefined;
    try {
      guard(request, publicBaseUrl, sessionOrigins);
    } catch (error) {
      refusal = error as LatchkeyError;
    }
    // Outside the try: what runs inside `done` must not be caught and reported twice.
    done(refusal);
  });
}

function guard(request: FastifyRequest, publicBaseUrl: string, sessionOrigins: Set<string>) {
  if (isProxied(request)) return guardProxy(request, publicBaseUrl);
  if (SAFE_METHODS.has(request.method)) return;
  if (request.connectSession) assertSessionOrigin(request, sessionOrigins);
  else assertSameSite(request, publicBaseUrl);
  if (request.method === 'POST' && !isJson(request)) {
    throw new LatchkeyError('unsupported_media_type');
  }
}

/** Matched by route, not by URL text: the router decodes `prox%79` and the like. */
function isProxied(request: FastifyRequest): boolean {
  return request.routeOptions.url === PROXY_ROUTE;
}

/**
 * A proxied call acts with the user's third-party token, so with a session cookie even a
 * GET must come from our own pages. API keys carry no ambient credential: no check needed.
 */
function guardProxy(request: FastifyRequest, publicBaseUrl: string) {
  if (request.apiKey) return;
  assertSameSite(request, publicBaseUrl);
}

function assertSameSite(request: FastifyRequest, publicBaseUrl: string) {
  const fetchSite = request.headers['sec-fetch-site'];
  if (typeof fetchSite === 'string' && !SAME_SITE_FETCH.has(fetchSite)) {
    throw new LatchkeyError('cross_site_request');
  }
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== publicBaseUrl) {
    throw new LatchkeyError('cross_site_request');
  }
}

/**
 * A connect session's token is no ambient credential, so its calls may come from the apps'
 * own pages (the headless SDK), but from no other site.
 */
function assertSessionOrigin(request: FastifyRequest, sessionOrigins: Set<string>) {
  const origin = request.headers.origin;
  if (typeof origin === 'string' && !sessionOrigins.has(origin)) {
    throw new LatchkeyError('cross_site_request');
  }
}

function isJson(request: FastifyRequest): boolean {
  const type = request.headers['content-type'];
  return typeof type === 'string' && /^application\/json\s*(;|$)/i.test(type);
}
