import * as oauth from 'oauth4webapi';
import type { CoreDeps } from '../deps';
import { authorizationServerFor } from '../oauth/discovery/authorization-server-for';
import { valueAtPath } from '../oauth/token-endpoint-fetch';
import type { StoredPerUserConnector } from '../store';

/** The longest display identity kept: an email address fits, a document does not. */
const MAX_ACCOUNT_LENGTH = 320;

/** The OpenID claims that name a person, most telling first (OpenID Connect Core §5.1). */
const IDENTITY_CLAIMS = ['email', 'preferred_username', 'name', 'sub'] as const;

/** Where a connection's account is read, and its grant checked: a GET with the user's token. */
export interface IdentityEndpoint {
  url: string;
  /** The identity in the endpoint's JSON answer. */
  identityOf(body: unknown): string | null;
}

/** The display identity in a set of OpenID claims (an ID token's, or userinfo's answer). */
export function identityFromClaims(claims: unknown): string | null {
  if (typeof claims !== 'object' || claims === null) return null;
  const record = claims as Record<string, unknown>;
  for (const claim of IDENTITY_CLAIMS) {
    const identity = displayable(record[claim]);
    if (identity) return identity;
  }
  return null;
}

/** The identity in a validated ID token of the token response, if it has one. */
export function identityFromIdToken(tokens: oauth.TokenEndpointResponse): string | null {
  return tokens.id_token ? identityFromClaims(oauth.getValidatedIdTokenClaims(tokens)) : null;
}

/**
 * The connector's identity endpoint: its preset's `verification`, else the userinfo endpoint
 * its issuer's metadata names (OpenID Connect Core §5.3). None for a plain OAuth provider.
 */
export async function identityEndpointOf(
  deps: CoreDeps,
  connector: StoredPerUserConnector,
): Promise<IdentityEndpoint | undefined> {
  const { verification } = connector.config;
  if (verification) {
    return {
      url: verification.url,
      identityOf: (body) => displayable(valueAtPath(body, verification.identityPath)),
    };
  }
  const as = await authorizationServerFor(deps, connector);
  const url = as.userinfo_endpoint;
  return url ? { url, identityOf: identityFromClaims } : undefined;
}

/** What the identity endpoint said of the token: the identity, or that it was refused. */
export type IdentityAnswer =
  | { status: 'ok'; identity: string | null }
  | { status: 'unauthorized' }
  | { status: 'failed' };

/**
 * GETs the identity endpoint with the user's token, as the connector's API takes it, through
 * the egress policy. A 401 (RFC 6750 §3.1 `invalid_token`) says the token no longer works.
 */
export async function requestIdentity(
  deps: CoreDeps,
  connector: StoredPerUserConnector,
  endpoint: IdentityEndpoint,
  accessToken: string,
): Promise<IdentityAnswer> {
  const { apiHeaders, apiTokenHeader } = connector.config;
  const headers = new Headers(apiHeaders);
  headers.set('accept', 'application/json');
  if (apiTokenHeader) headers.set(apiTokenHeader.name, `${apiTokenHeader.prefix}${accessToken}`);
  else headers.set('authorization', `Bearer ${accessToken}`);
  const response = await deps.providerFetch(endpoint.url, {
    method: 'GET',
    headers,
    redirect: 'manual',
    signal: AbortSignal.timeout(deps.oauth.providerTimeoutMs),
  });
  if (!response.ok) {
    // An unread body holds the pooled socket until garbage collection.
    await response.body?.cancel();
    return { status: response.status === 401 ? 'unauthorized' : 'failed' };
  }
  const body: unknown = await response.json().catch(() => undefined);
  return { status: 'ok', identity: endpoint.identityOf(body) };
}

function displayable(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed.length > 0 && trimmed.length <= MAX_ACCOUNT_LENGTH ? trimmed : null;
}
