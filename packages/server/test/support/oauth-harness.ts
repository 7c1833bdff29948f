import { randomUUID } from 'node:crypto';
import type { Role } from '@latchkey/core';
import {
  followAuthorization,
  startTestProvider,
  type TestClient,
  type TestProvider,
} from '@latchkey/testing';
import type { LightMyRequestResponse } from 'fastify';
import { storedTokens } from './stored-state';
import { PUBLIC_BASE_URL, startTestService, type TestService } from './test-service';

export { codeVerifierOf, countRows, storedTokens } from './stored-state';

export const BROWSER_COOKIE = 'latchkey_oauth_browser';
export const REDIRECT_URI = `${PUBLIC_BASE_URL}/api/connectors/_oauth_callback`;
/** RFC 6749 §2.3.1: a secret that must be form-encoded before Base64. */
export const PROVIDER_CLIENT_SECRET = 'provider:secret+with%odd=chars';

export function testClient(clientId: string, overrides: Partial<TestClient> = {}): TestClient {
  return {
    clientId,
    clientSecret: PROVIDER_CLIENT_SECRET,
    redirectUris: [REDIRECT_URI],
    ...overrides,
  };
}

export function startProvider(
  clientId = 'latchkey',
  options: { accessTokenTtlSeconds?: number } = {},
) {
  return startTestProvider({ clients: [testClient(clientId)], ...options });
}

export interface ProviderConnectorOptions {
  clientId?: string;
  clientSecret?: string;
  withIssuer?: boolean;
  name?: string;
  scope?: string;
  apiBaseUrl?: string;
  /** Where Latchkey sends token requests, when not straight to the provider (a gate). */
  tokenUrl?: string;
  /** The connector's keep-alive settings, when it opts in. */
  keepAlive?: { refreshTokenIdleDays?: number };
}

/** The body of a per-user connector pointed at a real test provider. */
export function providerConnectorBody(
  provider: TestProvider,
  options: ProviderConnectorOptions = {},
) {
  return {
    name: options.name ?? `Provider ${provider.port} ${Math.random().toString(36).slice(2, 6)}`,
    provider: 'custom',
    authMode: 'per-user',
    config: {
      authorizationUrl: provider.authorizationEndpoint,
      tokenUrl: options.tokenUrl ?? provider.tokenEndpoint,
      revocationUrl: provider.revocationEndpoint,
      ...(options.withIssuer === false ? {} : { issuer: provider.issuer }),
      scope: options.scope ?? 'openid read write',
      clientId: options.clientId ?? 'latchkey',
      apiBaseUrl: options.apiBaseUrl ?? `${provider.issuer}/api/`,
      ...(options.keepAlive ? { keepAlive: true, ...options.keepAlive } : {}),
    },
    secrets: { clientSecret: options.clientSecret ?? PROVIDER_CLIENT_SECRET },
  };
}

/** Creates a per-user connector pointed at a real test provider, as admin. */
export async function createProviderConnector(
  service: TestService,
  provider: TestProvider,
  options: ProviderConnectorOptions = {},
): Promise<string> {
  const response = await service.asAdmin({
    method: 'POST',
    url: '/api/connectors',
    body: providerConnectorBody(provider, options),
  });
  if (response.statusCode !== 201) throw new Error(`connector not created: ${response.body}`);
  return response.json().id;
}

export interface StartedFlow {
  authorizationUrl: string;
  state: string;
  /** Session cookie plus the browser-binding cookie, as the browser would send them. */
  browserCookie: string;
  /** The value of the browser-binding cookie alone. */
  binding: string;
}

export async function startFlow(
  service: TestService,
  sessionCookie: string,
  connectorId: string,
  body: Record<string, unknown> = {},
): Promise<StartedFlow> {
  const response = await service.request({
    method: 'POST',
    url: `/api/connectors/${connectorId}/_start_oauth_flow`,
    cookie: sessionCookie,
    body,
  });
  if (response.statusCode !== 200) throw new Error(`flow not started: ${response.body}`);
  const binding = response.cookies.find((c) => c.name === BROWSER_COOKIE)?.value ?? '';
  return {
    ...response.json(),
    browserCookie: `${sessionCookie}; ${BROWSER_COOKIE}=${binding}`,
    binding,
  };
}

/** Consents at the provider and returns the callback URL it redirects to (not requested). */
export async function authorizeAtProvider(authorizationUrl: string): Promise<URL> {
  const { callbackUrl } = await followAuthorization(authorizationUrl, {
    stopAtPrefix: REDIRECT_URI,
  });
  return callbackUrl;
}

export function deliverCallback(
  service: TestService,
  callbackUrl: URL | string,
  cookie?: string,
): Promise<LightMyRequestResponse> {
  const url = new URL(callbackUrl);
  return service.request({
    method: 'GET',
    url: `${url.pathname}${url.search}`,
    ...(cookie ? { cookie } : {}),
  });
}

/** The whole flow for one user; returns the callback response. */
export async function connect(
  service: TestService,
  sessionCookie: string,
  connectorId: string,
  body: Record<string, unknown> = {},
) {
  const flow = await startFlow(service, sessionCookie, connectorId, body);
  const callbackUrl = await authorizeAtProvider(flow.authorizationUrl);
  return {
    flow,
    callbackUrl,
    response: await deliverCallback(service, callbackUrl, flow.browserCookie),
  };
}

/** Connects the user and returns their refresh and access tokens, in that order. */
export async function connectedTokens(
  service: TestService,
  user: { cookie: string; userId: string },
  connectorId: string,
): Promise<[refreshToken: string, accessToken: string]> {
  await connect(service, user.cookie, connectorId);
  const tokens = await storedTokens(service, connectorId, user.userId);
  if (!tokens?.refreshToken) throw new Error('no refresh token stored');
  return [tokens.refreshToken, tokens.accessToken];
}

/** Whether the provider still takes each token (RFC 7662 introspection). */
export function activeAt(provider: TestProvider, tokens: string[]): Promise<boolean[]> {
  return Promise.all(tokens.map(async (token) => (await provider.introspect(token)).active));
}

export async function statusOf(service: TestService, cookie: string, connectorId: string) {
  const response = await service.request({
    method: 'GET',
    url: `/api/connectors/${connectorId}`,
    cookie,
  });
  return response.json().userAuthStatus as string;
}

/**
 * A service for OAuth tests: background timers off (tests run jobs with `jobs.runNow` on the
 * fake clock), and whatever limits the test needs.
 */
export function startOAuthService(env: Record<string, string> = {}): Promise<TestService> {
  return startTestService({ LATCHKEY_JOBS_ENABLED: 'false', ...env });
}

export interface UserSession {
  cookie: string;
  userId: string;
}

/** Creates one user per role, in parallel. */
export function sessionsFor(service: TestService, ...roles: Role[]): Promise<UserSession[]> {
  return Promise.all(
    roles.map((role) => service.sessionFor(role, `${role}-${randomUUID().slice(0, 8)}`)),
  );
}
