import type { LightMyRequestResponse } from 'fastify';
import { authorizeAtProvider, BROWSER_COOKIE, deliverCallback } from './oauth-harness';
import type { RequestOptions, TestService } from './test-service';

export interface CreatedSession {
  token: string;
  url: string;
  expiresAt: string;
}

/** `POST /api/connect_sessions` as an app's backend does it, with its key. */
export function requestConnectSession(
  service: TestService,
  key: string,
  body: Record<string, unknown>,
): Promise<LightMyRequestResponse> {
  return service.request({
    method: 'POST',
    url: '/api/connect_sessions',
    headers: { authorization: `ApiKey ${key}` },
    body,
  });
}

/** A connect session for that end user (and connectors), or a thrown error. */
export async function createConnectSession(
  service: TestService,
  key: string,
  externalId: string,
  options: { connectorIds?: string[]; returnUrl?: string; displayName?: string } = {},
): Promise<CreatedSession> {
  const { displayName, ...rest } = options;
  const response = await requestConnectSession(service, key, {
    endUser: { externalId, ...(displayName ? { displayName } : {}) },
    ...rest,
  });
  if (response.statusCode !== 201) throw new Error(`session not created: ${response.body}`);
  return response.json();
}

/** The token of a connect URL: it rides in the fragment. */
export function tokenOfConnectUrl(url: string): string {
  return new URLSearchParams(new URL(url).hash.slice(1)).get('session') ?? '';
}

/** A request as the hosted page or a headless client makes it: the token, no Latchkey login. */
export function asSession(
  service: TestService,
  token: string,
  options: Omit<RequestOptions, 'headers'> & { headers?: Record<string, string> },
): Promise<LightMyRequestResponse> {
  return service.request({
    ...options,
    headers: { authorization: `ConnectSession ${token}`, ...options.headers },
  });
}

export interface SessionFlow {
  authorizationUrl: string;
  state: string;
  /** The browser-binding cookie the start set, as the browser sends it back. */
  browserCookie: string;
}

/** Starts a flow with a connect session; the response when it did not start. */
export async function startSessionFlow(
  service: TestService,
  token: string,
  connectorId: string,
  body: Record<string, unknown> = {},
  cookie?: string,
): Promise<SessionFlow> {
  const response = await asSession(service, token, {
    method: 'POST',
    url: `/api/connectors/${connectorId}/_start_oauth_flow`,
    body,
    ...(cookie ? { cookie } : {}),
  });
  if (response.statusCode !== 200) throw new Error(`flow not started: ${response.body}`);
  const binding = response.cookies.find((c) => c.name === BROWSER_COOKIE)?.value ?? '';
  return { ...response.json(), browserCookie: `${BROWSER_COOKIE}=${binding}` };
}

/** The whole flow with a connect session, in a browser with no Latchkey login. */
export async function connectWithSession(
  service: TestService,
  token: string,
  connectorId: string,
  body: Record<string, unknown> = {},
) {
  const flow = await startSessionFlow(service, token, connectorId, body);
  const callbackUrl = await authorizeAtProvider(flow.authorizationUrl);
  return {
    flow,
    callbackUrl,
    response: await deliverCallback(service, callbackUrl, flow.browserCookie),
  };
}

/** A call an app's key makes for one of its end users. */
export function asKeyForEndUser(
  service: TestService,
  key: string,
  externalId: string,
  options: { method?: RequestOptions['method']; url: string },
): Promise<LightMyRequestResponse> {
  return service.request({
    method: options.method ?? 'GET',
    url: options.url,
    headers: { authorization: `ApiKey ${key}`, 'x-latchkey-end-user': externalId },
  });
}
