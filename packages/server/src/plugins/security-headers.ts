import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's headers on every answer. Our policy has no per-request part (pages that need a
 * nonce set their own CSP), so helmet runs once at start-up and each answer gets the headers
 * it produced: running it per request re-parsed the policy on every call (5 % of a token
 * lookup's CPU in the benchmark).
 */
export function registerSecurityHeaders(app: FastifyInstance, options: HelmetOptions) {
  const headers = helmetHeaders(options);
  // A callback hook, not an async one: one promise less per request.
  app.addHook('onRequest', function setSecurityHeaders(_request, reply, done) {
    reply.headers(headers);
    done();
  });
}

/** The headers helmet sets, collected from one run of its middleware. */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error) => {
    failure = error;
  });
  if (failure) throw failure;
  return headers;
}

/** The API's policy: it serves JSON only; pages that need more set their own. */
export function apiHelmetOptions(publicBaseUrl: string): HelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"] },
    },
    strictTransportSecurity: publicBaseUrl.startsWith('https:'),
  };
}
