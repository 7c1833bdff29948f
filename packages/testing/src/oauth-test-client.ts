import * as oauth from 'oauth4webapi';
import type { CookieJar } from './cookie-jar';
import { followAuthorization } from './follow-authorization';
import type { TestProvider } from './test-provider';

/**
 * A reference OAuth client (oauth4webapi) used by this package's own tests to prove the
 * provider behaves like a real authorization server: PKCE, iss, rotation, revocation.
 */
export interface OAuthTestClient {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  auth: oauth.ClientAuth;
  redirectUri: string;
}

/** Loopback http is not TLS: every oauth4webapi request needs this opt-in. */
export const insecure = { [oauth.allowInsecureRequests]: true } as const;

export async function createOAuthTestClient(
  provider: TestProvider,
  credentials: { clientId: string; clientSecret: string; redirectUri: string },
): Promise<OAuthTestClient> {
  const issuer = new URL(provider.issuer);
  const as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, insecure),
  );
  return {
    as,
    client: { client_id: credentials.clientId },
    auth: oauth.ClientSecretBasic(credentials.clientSecret),
    redirectUri: credentials.redirectUri,
  };
}

export interface AuthorizationAttempt {
  callbackUrl: URL;
  state: string;
  codeVerifier: string;
}

/** Builds a PKCE (S256) authorization request and drives it to the callback redirect. */
export async function authorize(
  oc: OAuthTestClient,
  options: { scope?: string; loginHint?: string; cookieJar?: CookieJar } = {},
): Promise<AuthorizationAttempt> {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(oc.as.authorization_endpoint ?? '');
  url.searchParams.set('client_id', oc.client.client_id);
  url.searchParams.set('redirect_uri', oc.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', options.scope ?? 'openid offline_access read');
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  if (options.loginHint !== undefined) url.searchParams.set('login_hint', options.loginHint);
  const { callbackUrl } = await followAuthorization(url.href, { cookieJar: options.cookieJar });
  return { callbackUrl, state, codeVerifier };
}

/** Validates the callback (state, iss) and redeems the code. */
export async function redeem(
  oc: OAuthTestClient,
  attempt: AuthorizationAttempt,
): Promise<oauth.TokenEndpointResponse> {
  const params = oauth.validateAuthResponse(oc.as, oc.client, attempt.callbackUrl, attempt.state);
  const response = await oauth.authorizationCodeGrantRequest(
    oc.as,
    oc.client,
    oc.auth,
    params,
    oc.redirectUri,
    attempt.codeVerifier,
    insecure,
  );
  return oauth.processAuthorizationCodeResponse(oc.as, oc.client, response);
}

export async function refresh(
  oc: OAuthTestClient,
  refreshToken: string,
): Promise<oauth.TokenEndpointResponse> {
  const response = await oauth.refreshTokenGrantRequest(
    oc.as,
    oc.client,
    oc.auth,
    refreshToken,
    insecure,
  );
  return oauth.processRefreshTokenResponse(oc.as, oc.client, response);
}

export async function revoke(oc: OAuthTestClient, token: string): Promise<Response> {
  return oauth.revocationRequest(oc.as, oc.client, oc.auth, token, insecure);
}

/** A full code flow, returning tokens whose refresh_token is guaranteed present. */
export async function connect(
  oc: OAuthTestClient,
  options: { scope?: string; loginHint?: string } = {},
): Promise<{ accessToken: string; refreshToken: string; scope: string | undefined }> {
  const tokens = await redeem(oc, await authorize(oc, options));
  if (tokens.refresh_token === undefined) throw new Error('provider issued no refresh token');
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    scope: tokens.scope,
  };
}
