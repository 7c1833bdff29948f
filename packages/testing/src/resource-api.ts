import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { IntrospectionResponse } from './introspect';
import {
  closeServer,
  LOOPBACK_HOST,
  listenOnLoopback,
  readBody,
  sendJson,
} from './loopback-server';
import type { TestProvider } from './test-provider';

export interface ResourceApi {
  url: string;
  counts: { requests: number };
  lastRequestHeaders: IncomingHttpHeaders | undefined;
  /** Answers 401 to the next `count` requests whatever their token (e.g. a revoked grant). */
  failNextWith401(count: number): void;
  /** Answers the next request with a 302 to `url` (e.g. the recording "attacker" server). */
  redirectNextTo(url: string): void;
  /** Adds these headers to the next answer, whatever it is (an API with headers of its own). */
  addToNextAnswer(headers: OutgoingHttpHeaders): void;
  stop(): Promise<void>;
}

const INVALID_TOKEN = { 'www-authenticate': 'Bearer error="invalid_token"' };

/**
 * A protected API standing for the upstream service behind Latchkey's proxy. Tokens are
 * checked through the provider's introspection endpoint, so revocation and expiry are real.
 * Any path answers `{ ok, sub, scope, path, method, query }`; `/scoped/<scope>/…` answers
 * `403 insufficient_scope` to a token without that scope; `/echo` also returns the
 * headers and body exactly as received, to show what a proxy forwarded. Each checked token
 * costs one introspection request, which shows in the provider's counts.
 */
export async function startResourceApi({
  provider,
}: {
  provider: TestProvider;
}): Promise<ResourceApi> {
  let pending401 = 0;
  let pendingRedirect: string | undefined;
  let pendingHeaders: OutgoingHttpHeaders = {};
  const api: Omit<ResourceApi, 'url' | 'stop'> = {
    counts: { requests: 0 },
    lastRequestHeaders: undefined,
    failNextWith401: (count) => {
      pending401 = count;
    },
    redirectNextTo: (url) => {
      pendingRedirect = url;
    },
    addToNextAnswer: (headers) => {
      pendingHeaders = headers;
    },
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    api.counts.requests += 1;
    api.lastRequestHeaders = request.headers;
    const extra = pendingHeaders;
    pendingHeaders = {};
    const send = (status: number, body: unknown, headers: OutgoingHttpHeaders = {}) =>
      sendJson(response, status, body, { ...extra, ...headers });
    const body = await readBody(request);
    if (pendingRedirect !== undefined) {
      response.writeHead(302, { ...extra, location: pendingRedirect }).end();
      pendingRedirect = undefined;
      return;
    }
    if (pending401 > 0) {
      pending401 -= 1;
      send(401, { error: 'invalid_token' }, INVALID_TOKEN);
      return;
    }
    const token = await activeToken(provider, request.headers.authorization);
    if (token === undefined) {
      send(401, { error: 'invalid_token' }, INVALID_TOKEN);
      return;
    }
    const needed = scopeNeeded(request.url);
    if (needed && !(token.scope ?? '').split(' ').includes(needed)) {
      // RFC 6750 §3.1: the token is fine, the grant lacks a scope; the challenge names it.
      const challenge = `Bearer error="insufficient_scope", scope="${needed}"`;
      send(403, { error: 'insufficient_scope' }, { 'www-authenticate': challenge });
      return;
    }
    send(200, describeRequest(request, body, token));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      sendJson(response, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  const port = await listenOnLoopback(server);
  return Object.assign(api, {
    url: `http://${LOOPBACK_HOST}:${port}`,
    stop: () => closeServer(server),
  });
}

/** `/scoped/<scope>/…` needs that scope of the token. */
function scopeNeeded(url: string | undefined): string | undefined {
  const match = /^\/scoped\/([^/?]+)/.exec(url ?? '');
  return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
}

/** The introspection of a Bearer token that is active and unexpired, otherwise undefined. */
async function activeToken(
  provider: TestProvider,
  authorization: string | undefined,
): Promise<IntrospectionResponse | undefined> {
  const match = /^Bearer ([^\s]+)$/i.exec(authorization ?? '');
  if (match?.[1] === undefined) return undefined;
  const introspection = await provider.introspect(match[1]);
  const unexpired = introspection.exp === undefined || introspection.exp * 1000 > Date.now();
  return introspection.active && unexpired ? introspection : undefined;
}

function describeRequest(request: IncomingMessage, body: string, token: IntrospectionResponse) {
  const url = new URL(request.url ?? '/', 'http://resource.invalid');
  const summary = {
    ok: true,
    sub: token.sub,
    scope: token.scope,
    path: url.pathname,
    method: request.method,
    query: Object.fromEntries(url.searchParams),
  };
  return url.pathname === '/echo' ? { ...summary, headers: request.headers, body } : summary;
}
