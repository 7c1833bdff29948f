import type {
  ApiKeyView,
  ConnectorInput,
  ConnectorView,
  CreateApiKeyInput,
  CreateUserInput,
  CreateWebhookInput,
  ProviderList,
  UpdateUserInput,
  UserView,
  WebhookDeliveryView,
  WebhookView,
} from '@latchkey/core';
import { authenticate, fetchOrFail, type RequestContext, sendRequest } from './http/send-request';
import type {
  AccessTokenView,
  AuditPage,
  AuthStatusMap,
  ConnectSessionView,
  CreateConnectSessionInput,
  CreatedApiKey,
  CreatedConnectSession,
  CreatedWebhook,
  EndUserDetail,
  EndUserPage,
  ListAuditInput,
  LoginInput,
  StartedOAuthFlow,
  StartOAuthFlowInput,
} from './wire-types';

export interface LatchkeyClientOptions {
  /** Where the service is, e.g. `https://latchkey.example.com`. Default: same origin (''). */
  baseUrl?: string;
  /** Default: the global `fetch`, looked up at call time. */
  fetch?: typeof fetch;
  /** Server-side use: sent as `Authorization: ApiKey <key>`; cookies are then not sent. */
  apiKey?: string;
  /** Act for this user (`X-Latchkey-User`); the key needs the `on_behalf` permission. */
  actingUserId?: string;
  /** Act for this end user (`X-Latchkey-End-User`); the key needs `end_users`. */
  actingEndUserId?: string;
  /**
   * Browser use without a Latchkey login: a connect session's token, sent as
   * `Authorization: ConnectSession <token>` with no cookies. It may call only the routes of
   * its own end user's connections (see docs/api.md). Not together with `apiKey`.
   */
  connectSessionToken?: string;
}

/** Which credential a client's requests carry. */
export type ClientCredential = 'session_cookie' | 'api_key' | 'connect_session';

/** A typed client for every route of the HTTP API (see docs/api.md). */
export interface LatchkeyClient {
  readonly credential: ClientCredential;

  login(input: LoginInput): Promise<UserView>;
  logout(): Promise<void>;
  me(): Promise<UserView>;

  listConnectors(): Promise<ConnectorView[]>;
  getConnector(connectorId: string): Promise<ConnectorView>;
  /** `custom` with every endpoint, or a catalog preset (`listProviders`) with its inputs. */
  createConnector(input: ConnectorInput): Promise<ConnectorView>;
  /**
   * Omitted secrets keep their stored values unless an endpoint, the client, the credential
   * type or the auth mode changes (then `secret_required`, `details.fields` naming them);
   * changed OAuth settings disconnect every user.
   */
  updateConnector(connectorId: string, input: ConnectorInput): Promise<ConnectorView>;
  deleteConnector(connectorId: string): Promise<void>;
  authStatuses(): Promise<AuthStatusMap>;
  /** The catalog's presets, sorted by name, and the redirect URI to register at a provider. */
  listProviders(): Promise<ProviderList>;

  startOAuthFlow(connectorId: string, input?: StartOAuthFlowInput): Promise<StartedOAuthFlow>;
  /** Idempotent: an unknown, finished or expired flow counts as cancelled. */
  cancelOAuthFlow(connectorId: string, state: string): Promise<void>;
  /** Deletes the caller's tokens and revokes them at the provider when it can (RFC 7009). */
  disconnect(connectorId: string): Promise<void>;
  /** API keys with `tokens:read` only; never works from a browser session. */
  getToken(connectorId: string): Promise<AccessTokenView>;
  /**
   * A request to the connector's API, through the service, with the user's token. Resolves
   * with the upstream response whatever its status (the service's own refusals are JSON
   * `{"error":…}` bodies, e.g. 409 `reauth_required`); rejects only when there is no answer.
   */
  proxy(connectorId: string, path: string, init?: RequestInit): Promise<Response>;

  listUsers(): Promise<UserView[]>;
  createUser(input: CreateUserInput): Promise<UserView>;
  updateUser(userId: string, patch: UpdateUserInput): Promise<UserView>;
  deleteUser(userId: string): Promise<void>;

  listApiKeys(): Promise<ApiKeyView[]>;
  /** The returned `key` is shown once; the service keeps only its hash. */
  createApiKey(input: CreateApiKeyInput): Promise<CreatedApiKey>;
  revokeApiKey(apiKeyId: string): Promise<void>;

  listAudit(input?: ListAuditInput): Promise<AuditPage>;

  /** Server side, `end_users` keys: a connect link for one end user (created on first use). */
  createConnectSession(input: CreateConnectSessionInput): Promise<CreatedConnectSession>;
  /** With `connectSessionToken`: the session's end user, expiry and connectors. */
  getConnectSession(): Promise<ConnectSessionView>;
  /** Admins and `end_users` keys. */
  listEndUsers(input?: { cursor?: string }): Promise<EndUserPage>;
  getEndUser(externalId: string): Promise<EndUserDetail>;
  /** Ends their sessions, deletes their connections and revokes the tokens at the provider. */
  deleteEndUser(externalId: string): Promise<void>;
  listWebhooks(): Promise<WebhookView[]>;
  /** The returned `secret` is shown once; the service keeps it sealed. */
  createWebhook(input: CreateWebhookInput): Promise<CreatedWebhook>;
  deleteWebhook(webhookId: string): Promise<void>;
  /** The newest deliveries of one endpoint: its delivery log. */
  listWebhookDeliveries(webhookId: string): Promise<WebhookDeliveryView[]>;
  /** Sends one delivery again, with the same `webhook-id`. */
  redeliverWebhook(webhookId: string, eventId: string): Promise<void>;

  /** The same client acting for another user (server-side, `on_behalf` keys). */
  actingAs(userId: string): LatchkeyClient;
  /** The same client acting for an end user (server-side, `end_users` keys). */
  actingForEndUser(externalId: string): LatchkeyClient;
}

const id = encodeURIComponent;

function credentialOf(options: LatchkeyClientOptions): ClientCredential {
  if (options.connectSessionToken && options.apiKey) {
    throw new TypeError('Give a Latchkey client an apiKey or a connectSessionToken, not both.');
  }
  if (options.connectSessionToken) return 'connect_session';
  return options.apiKey ? 'api_key' : 'session_cookie';
}

export function createLatchkeyClient(options: LatchkeyClientOptions = {}): LatchkeyClient {
  const credential = credentialOf(options);
  const context: RequestContext = {
    baseUrl: (options.baseUrl ?? '').replace(/\/+$/, ''),
    // Looked up per call, so a test or a polyfill installed later is honoured.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    apiKey: options.apiKey,
    actingUserId: options.actingUserId,
    actingEndUserId: options.actingEndUserId,
    connectSessionToken: options.connectSessionToken,
  };
  const get = <T>(path: string) => sendRequest<T>(context, 'GET', path);
  const post = <T>(path: string, body?: unknown) => sendRequest<T>(context, 'POST', path, body);
  const put = <T>(path: string, body: unknown) => sendRequest<T>(context, 'PUT', path, body);
  const patch = <T>(path: string, body: unknown) => sendRequest<T>(context, 'PATCH', path, body);
  const remove = (path: string) => sendRequest<void>(context, 'DELETE', path);
  const connector = (connectorId: string) => `/api/connectors/${id(connectorId)}`;

  return {
    credential,
    login: (input) => post('/api/auth/login', input),
    logout: () => post('/api/auth/logout'),
    me: () => get('/api/auth/me'),

    listConnectors: async () =>
      (await get<{ connectors: ConnectorView[] }>('/api/connectors')).connectors,
    getConnector: (connectorId) => get(connector(connectorId)),
    createConnector: (input) => post('/api/connectors', input),
    updateConnector: (connectorId, input) => put(connector(connectorId), input),
    deleteConnector: (connectorId) => remove(connector(connectorId)),
    authStatuses: () => post('/api/connectors/_me/auth_status'),
    listProviders: () => get('/api/providers'),

    startOAuthFlow: (connectorId, input = {}) =>
      post(`${connector(connectorId)}/_start_oauth_flow`, input),
    cancelOAuthFlow: (connectorId, state) =>
      post(`${connector(connectorId)}/_oauth_cancel`, { state }),
    disconnect: (connectorId) => post(`${connector(connectorId)}/_oauth_disconnect`),
    getToken: (connectorId) => get(`${connector(connectorId)}/_token`),
    proxy: (connectorId, path, init = {}) => {
      const headers = new Headers(init.headers);
      const credentials = authenticate(context, headers);
      // The path is passed as given (minus one leading slash); the service refuses any
      // path that would leave the connector's API base URL.
      const target = `${connector(connectorId)}/proxy/${path.replace(/^\//, '')}`;
      return fetchOrFail(context, target, { ...init, headers, credentials });
    },

    listUsers: async () => (await get<{ users: UserView[] }>('/api/users')).users,
    createUser: (input) => post('/api/users', input),
    updateUser: (userId, body) => patch(`/api/users/${id(userId)}`, body),
    deleteUser: (userId) => remove(`/api/users/${id(userId)}`),

    listApiKeys: async () => (await get<{ apiKeys: ApiKeyView[] }>('/api/api_keys')).apiKeys,
    createApiKey: (input) => post('/api/api_keys', input),
    revokeApiKey: (apiKeyId) => remove(`/api/api_keys/${id(apiKeyId)}`),

    listWebhooks: async () => (await get<{ webhooks: WebhookView[] }>('/api/webhooks')).webhooks,
    createWebhook: (input) => post('/api/webhooks', input),
    deleteWebhook: (webhookId) => remove(`/api/webhooks/${id(webhookId)}`),
    listWebhookDeliveries: async (webhookId) =>
      (
        await get<{ deliveries: WebhookDeliveryView[] }>(
          `/api/webhooks/${id(webhookId)}/deliveries`,
        )
      ).deliveries,
    redeliverWebhook: (webhookId, eventId) =>
      post(`/api/webhooks/${id(webhookId)}/deliveries/${id(eventId)}/_redeliver`, {}),

    listAudit: (input = {}) => {
      const query = new URLSearchParams();
      if (input.limit !== undefined) query.set('limit', String(input.limit));
      if (input.cursor !== undefined) query.set('cursor', input.cursor);
      const search = query.toString();
      return get(search ? `/api/audit?${search}` : '/api/audit');
    },

    createConnectSession: (input) => post('/api/connect_sessions', input),
    getConnectSession: () => get('/api/connect_session'),
    listEndUsers: (input = {}) =>
      get(input.cursor ? `/api/end_users?cursor=${id(input.cursor)}` : '/api/end_users'),
    getEndUser: (externalId) => get(`/api/end_users/${id(externalId)}`),
    deleteEndUser: (externalId) => remove(`/api/end_users/${id(externalId)}`),

    actingAs: (userId) => createLatchkeyClient({ ...options, actingUserId: userId }),
    actingForEndUser: (externalId) =>
      createLatchkeyClient({ ...options, actingEndUserId: externalId }),
  };
}
