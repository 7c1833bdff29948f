import type { KoaContextWithOIDC, Provider } from 'oidc-provider';

export interface RequestCounts {
  token: number;
  /** Token requests by `grant_type`: authorization_code, refresh_token, client_credentials… */
  tokenByGrant: Record<string, number>;
  /** Token requests by how the client authenticated: client_secret_basic or client_secret_post. */
  tokenByClientAuth: Record<string, number>;
  /** Token requests refused with 503 while the token endpoint was made unavailable. */
  tokenWhileUnavailable: number;
  revocation: number;
  introspection: number;
  /** Requests to the authorization endpoint itself (not the resume step after an interaction). */
  authorization: number;
  /** Pushed authorization requests (RFC 9126), and the parameters of the last one. */
  pushedAuthorization: number;
  lastPushedParameters: Record<string, unknown> | undefined;
  /** Requests for the metadata at either well-known location. */
  metadata: number;
}

export interface RequestCounters {
  readonly counts: RequestCounts;
  reset(): void;
  setRevocationAvailable(available: boolean): void;
  setTokenEndpointAvailable(available: boolean): void;
}

/**
 * Counts what actually reached the provider and can make the revocation endpoint fail, so
 * tests can assert e.g. "one refresh for ten concurrent calls" or "revocation retried later".
 * Paths come from the provider's own routes, so custom `routes` config would be honoured.
 */
export function installRequestCounters(provider: Provider): RequestCounters {
  const counts = emptyCounts();
  let revocationAvailable = true;
  let tokenEndpointAvailable = true;
  const paths = {
    token: provider.pathFor('token'),
    revocation: provider.pathFor('revocation'),
    introspection: provider.pathFor('introspection'),
    authorization: provider.pathFor('authorization'),
    pushedAuthorization: optionalPath(provider, 'pushed_authorization_request'),
  };

  provider.use(async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    if (ctx.path === paths.revocation) {
      counts.revocation += 1;
      if (!revocationAvailable) {
        // Answered before oidc-provider sees the request, as a down endpoint would.
        ctx.status = 503;
        ctx.body = { error: 'temporarily_unavailable' };
        return;
      }
    }
    if (ctx.path === paths.token && !tokenEndpointAvailable) {
      counts.tokenWhileUnavailable += 1;
      // An outage of the token endpoint alone: the rest of the provider still answers.
      ctx.status = 503;
      ctx.body = { error: 'temporarily_unavailable' };
      return;
    }
    if (ctx.path === paths.introspection) counts.introspection += 1;
    if (ctx.path === paths.authorization) counts.authorization += 1;
    if (ctx.path.startsWith('/.well-known/')) counts.metadata += 1;
    await next();
    if (ctx.path === paths.token) countTokenRequest(counts, ctx);
    if (ctx.path === paths.pushedAuthorization) {
      counts.pushedAuthorization += 1;
      counts.lastPushedParameters = { ...ctx.oidc?.params };
    }
  });

  return {
    counts,
    reset: () => Object.assign(counts, emptyCounts()),
    setRevocationAvailable: (available) => {
      revocationAvailable = available;
    },
    setTokenEndpointAvailable: (available) => {
      tokenEndpointAvailable = available;
    },
  };
}

/** Counted after `next()`: the grant type is known only once oidc-provider parsed the body. */
function countTokenRequest(counts: RequestCounts, ctx: KoaContextWithOIDC): void {
  counts.token += 1;
  const grantType = ctx.oidc?.params?.grant_type;
  const key = typeof grantType === 'string' ? grantType : 'unknown';
  counts.tokenByGrant[key] = (counts.tokenByGrant[key] ?? 0) + 1;
  const auth = clientAuthOf(ctx);
  counts.tokenByClientAuth[auth] = (counts.tokenByClientAuth[auth] ?? 0) + 1;
}

/** RFC 6749 §2.3.1: the secret in a Basic `Authorization` header, or in the form body. */
function clientAuthOf(ctx: KoaContextWithOIDC): string {
  if (/^basic /i.test(ctx.headers.authorization ?? '')) return 'client_secret_basic';
  return ctx.oidc?.params?.client_secret ? 'client_secret_post' : 'none';
}

function emptyCounts(): RequestCounts {
  return {
    token: 0,
    tokenByGrant: { authorization_code: 0, refresh_token: 0, client_credentials: 0 },
    tokenByClientAuth: {},
    tokenWhileUnavailable: 0,
    revocation: 0,
    introspection: 0,
    authorization: 0,
    pushedAuthorization: 0,
    lastPushedParameters: undefined,
    metadata: 0,
  };
}

/** The path of a route only some configurations serve (PAR can be off); undefined then. */
function optionalPath(provider: Provider, route: string): string | undefined {
  try {
    return provider.pathFor(route);
  } catch {
    return undefined;
  }
}
